package org.pdediff.data;

import java.util.Optional;
import org.pdediff.core.Batch;
import org.pdediff.core.Hashing;

/**
 * A data set: its points, the spec that made it, and — where known — the law it was drawn from (a Gaussian mixture,
 * so that {@code --score gmm} is the exact score of the distribution, M11) and its exact support.
 *
 * @param spec    the canonical spec with every parameter, e.g. {@code moons:n=2000,seed=0,noise=0.05}
 * @param points  the points (n × d); treat as read-only
 * @param law     the data law when it is a Gaussian mixture
 * @param support the exact support when known
 */
public record DataSet(String spec, Batch points, Optional<GaussianMixture> law, Optional<Support> support) {
    /** Name of the set (the spec up to ':'). */
    public String name() {
        int c = spec.indexOf(':');
        return c < 0 ? spec : spec.substring(0, c);
    }

    public int size() {
        return points.size();
    }

    public int dim() {
        return points.dim();
    }

    /** SHA-256 of the points (provenance). */
    public String hash() {
        return Hashing.sha256(points);
    }
}
