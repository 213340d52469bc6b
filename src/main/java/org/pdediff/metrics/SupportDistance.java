package org.pdediff.metrics;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.Support;

/**
 * Distance of samples to a support K known exactly (circle, sphere, points, checker squares; {@link Support}):
 * per-sample dist(y_i, K), their mean, root mean square and maximum (C1, C5).
 */
public final class SupportDistance {
    private SupportDistance() {
    }

    /**
     * @param distances per-sample dist(y_i, K)
     * @param meanDist  mean distance
     * @param rmsDist   √(mean distance²)
     * @param maxDist   largest distance
     * @param support   description of K
     */
    public record Result(double[] distances, double meanDist, double rmsDist, double maxDist, String support) {
    }

    public static Result compute(Batch samples, Support support) {
        if (samples.size() == 0) {
            throw new InvalidInputException("empty sample (n = 0)");
        }
        samples.requireFinite("sample");
        double[] dist = support.distances(samples);
        double s = 0;
        double s2 = 0;
        double mx = 0;
        for (double v : dist) {
            s += v;
            s2 += v * v;
            mx = Math.max(mx, v);
        }
        int n = dist.length;
        return new Result(dist, s / n, Math.sqrt(s2 / n), mx, support.describe());
    }
}
