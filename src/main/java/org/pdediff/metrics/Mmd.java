package org.pdediff.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/**
 * Kernel two-sample statistics (MATH.md §8).
 *
 * <p>MMD² with Gaussian kernels k_h(x, y) = exp(−|x − y|²/(2h²)), unbiased U-statistic:
 * MMD²_u = 1/(n(n−1)) Σ_{i≠i'} k(x_i, x_i') + 1/(m(m−1)) Σ_{j≠j'} k(y_j, y_j') − 2/(nm) Σ_{i,j} k(x_i, y_j);
 * E[MMD²_u] = MMD² exactly, so it is ≈ 0 (and may be negative) for two samples of one law. Several bandwidths are
 * reported separately and summed (the sum of kernels is a kernel, so the sum is the MMD² of the sum kernel).
 * Default bandwidths: the median heuristic h_med (median pairwise distance of the pooled sample) × {0.5, 1, 2}.
 *
 * <p>Energy distance (Székely): E = 2 E|X − Y| − E|X − X'| − E|Y − Y'|, with U-statistics for the within-sample
 * terms (unbiased); E ≥ 0 for the population, = 0 iff the laws are equal.
 */
public final class Mmd {
    /** Default multipliers of the median bandwidth. */
    public static final double[] DEFAULT_MULTIPLIERS = {0.5, 1, 2};
    /** Points (at most) used for the median heuristic: evenly spaced rows of the pooled sample. */
    static final int MEDIAN_POINTS = 1000;

    private Mmd() {
    }

    /**
     * The MMD² estimate.
     *
     * @param mmd2         Σ over bandwidths of MMD²_u
     * @param bandwidths   the bandwidths h
     * @param perBandwidth MMD²_u for each bandwidth
     */
    public record Result(double mmd2, double[] bandwidths, double[] perBandwidth) {
        /** √max(MMD², 0). */
        public double mmd() {
            return Math.sqrt(Math.max(0, mmd2));
        }
    }

    /**
     * The energy distance.
     *
     * @param energySq 2E|X−Y| − E|X−X'| − E|Y−Y'| (unbiased)
     */
    public record Energy(double energySq) {
        /** √max(E, 0). */
        public double energy() {
            return Math.sqrt(Math.max(0, energySq));
        }
    }

    /** MMD²_u with the default bandwidths (median heuristic × {0.5, 1, 2}). */
    public static Result mmd2(Batch a, Batch b) {
        double h = medianBandwidth(a, b);
        double[] hs = new double[DEFAULT_MULTIPLIERS.length];
        for (int k = 0; k < hs.length; k++) {
            hs[k] = h * DEFAULT_MULTIPLIERS[k];
        }
        return mmd2(a, b, hs);
    }

    /** MMD²_u with the given bandwidths. */
    public static Result mmd2(Batch a, Batch b, double... bandwidths) {
        check(a, b);
        if (bandwidths.length == 0) {
            throw new InvalidInputException("MMD needs at least one bandwidth");
        }
        double[] c = new double[bandwidths.length];
        for (int k = 0; k < c.length; k++) {
            double h = bandwidths[k];
            if (!(h > 0) || !Double.isFinite(h)) {
                throw new InvalidInputException("MMD bandwidth must be positive and finite, got " + h);
            }
            c[k] = -1 / (2 * h * h);
        }
        int n = a.size();
        int m = b.size();
        double[] xx = pairSums(a, a, true, c, false);
        double[] yy = pairSums(b, b, true, c, false);
        double[] xy = pairSums(a, b, false, c, false);
        double[] per = new double[c.length];
        double sum = 0;
        for (int k = 0; k < c.length; k++) {
            per[k] = xx[k] / ((double) n * (n - 1)) + yy[k] / ((double) m * (m - 1)) - 2 * xy[k] / ((double) n * m);
            sum += per[k];
        }
        return new Result(sum, bandwidths.clone(), per);
    }

    /** The unbiased energy distance. */
    public static Energy energy(Batch a, Batch b) {
        check(a, b);
        int n = a.size();
        int m = b.size();
        double[] none = new double[0];
        double xx = pairSums(a, a, true, none, true)[0];
        double yy = pairSums(b, b, true, none, true)[0];
        double xy = pairSums(a, b, false, none, true)[0];
        return new Energy(2 * xy / ((double) n * m) - xx / ((double) n * (n - 1)) - yy / ((double) m * (m - 1)));
    }

    /** Median of the pairwise distances of (at most {@value #MEDIAN_POINTS} evenly spaced rows of) a ∪ b. */
    public static double medianBandwidth(Batch a, Batch b) {
        Wasserstein.check(a, b);
        int total = a.size() + b.size();
        int k = Math.min(total, MEDIAN_POINTS);
        int d = a.dim();
        double[] pts = new double[k * d];
        for (int r = 0; r < k; r++) {
            int idx = (int) ((long) r * total / k);
            Batch src = idx < a.size() ? a : b;
            int row = idx < a.size() ? idx : idx - a.size();
            System.arraycopy(src.data(), row * d, pts, r * d, d);
        }
        double[] dist = new double[k * (k - 1) / 2];
        int c = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double u = pts[i * d + q] - pts[j * d + q];
                    s += u * u;
                }
                dist[c++] = Math.sqrt(s);
            }
        }
        if (dist.length == 0) {
            throw new InvalidInputException("the median bandwidth needs at least two points");
        }
        Arrays.sort(dist);
        double med = dist.length % 2 == 1 ? dist[dist.length / 2]
                : 0.5 * (dist[dist.length / 2 - 1] + dist[dist.length / 2]);
        if (!(med > 0)) {
            throw new InvalidInputException("the median pairwise distance is 0 (the points coincide): give bandwidths");
        }
        return med;
    }

    private static void check(Batch a, Batch b) {
        Wasserstein.check(a, b);
        if (a.size() < 2 || b.size() < 2) {
            throw new InvalidInputException("unbiased MMD and energy distance need at least 2 points per sample");
        }
    }

    /**
     * Σ over pairs (i ≠ j when {@code self}) of exp(c_k·|x_i − y_j|²) for each k, or of |x_i − y_j| when
     * {@code distance}. Rows in parallel, each row's partial sum kept separately so the total is deterministic.
     */
    private static double[] pairSums(Batch x, Batch y, boolean self, double[] c, boolean distance) {
        int n = x.size();
        int m = y.size();
        int d = x.dim();
        int kk = distance ? 1 : c.length;
        double[] rows = new double[n * kk];
        double[] xv = x.data();
        double[] yv = y.data();
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] acc = new double[kk];
            for (int j = 0; j < m; j++) {
                if (self && i == j) {
                    continue;
                }
                double s = 0;
                for (int q = 0; q < d; q++) {
                    double u = xv[i * d + q] - yv[j * d + q];
                    s += u * u;
                }
                if (distance) {
                    acc[0] += Math.sqrt(s);
                } else {
                    for (int k = 0; k < kk; k++) {
                        acc[k] += Math.exp(c[k] * s);
                    }
                }
            }
            System.arraycopy(acc, 0, rows, i * kk, kk);
        });
        double[] out = new double[kk];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < kk; k++) {
                out[k] += rows[i * kk + k];
            }
        }
        return out;
    }
}
