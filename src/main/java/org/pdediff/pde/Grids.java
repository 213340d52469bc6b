package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.Sde;

/** Grids for the PDE solvers: boxes chosen from the data and the SDE (the {@link Grid} itself lives in core). */
public final class Grids {
    private Grids() {
    }

    /**
     * A box (one square-celled axis of n cells each) that holds the law p_t of the data under {@code sde} at each of
     * the times: per axis [min(α(t)·min x − 5σ(t)), max(α(t)·max x + 5σ(t))] over the times, widened by 5% of its
     * width, and — for reverse solves — the prior's ±5√v. Data of dimension 1 or 2 only.
     */
    public static Grid covering(Batch points, Sde sde, double[] times, boolean prior, int n) {
        int d = points.dim();
        if (d > 2) {
            throw new InvalidInputException("grid PDE solvers work in d = 1 or 2; the data have d = " + d);
        }
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int j = 0; j < d; j++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < points.size(); i++) {
                mn = Math.min(mn, points.get(i, j));
                mx = Math.max(mx, points.get(i, j));
            }
            lo[j] = Double.POSITIVE_INFINITY;
            hi[j] = Double.NEGATIVE_INFINITY;
            for (double t : times) {
                double a = sde.alpha(t);
                double s = sde.sigma(t);
                lo[j] = Math.min(lo[j], Math.min(a * mn, a * mx) - 5 * s);
                hi[j] = Math.max(hi[j], Math.max(a * mn, a * mx) + 5 * s);
            }
            if (prior) {
                double r = 5 * Math.sqrt(sde.priorVariance());
                lo[j] = Math.min(lo[j], -r);
                hi[j] = Math.max(hi[j], r);
            }
            double pad = 0.05 * Math.max(hi[j] - lo[j], 1e-6);
            lo[j] -= pad;
            hi[j] += pad;
        }
        int[] cells = new int[d];
        java.util.Arrays.fill(cells, n);
        return new Grid(lo, hi, cells);
    }
}
