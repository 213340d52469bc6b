package org.pdediff.metrics;

import org.pdediff.core.Batch;

/**
 * The ground cost c(x, y) = |x − y|^p of the Wasserstein distance W_p (MATH.md §8): W_p^p(μ, ν) = min over couplings
 * π of Σ π_ij c(x_i, y_j). Only p = 1 (W1) and p = 2 (W2) are offered.
 */
public enum GroundCost {
    /** c = |x − y| (W1). */
    EUCLIDEAN(1),
    /** c = |x − y|² (W2). */
    SQUARED_EUCLIDEAN(2);

    private final int p;

    GroundCost(int p) {
        this.p = p;
    }

    /** The exponent p. */
    public int p() {
        return p;
    }

    /** The cost of order p: 1 → {@link #EUCLIDEAN}, 2 → {@link #SQUARED_EUCLIDEAN}. */
    public static GroundCost ofOrder(int p) {
        return switch (p) {
            case 1 -> EUCLIDEAN;
            case 2 -> SQUARED_EUCLIDEAN;
            default -> throw new IllegalArgumentException("only W1 and W2 are offered, not p = " + p);
        };
    }

    /** c(a_i, b_j) for rows of two batches of equal dimension. */
    public double cost(Batch a, int i, Batch b, int j) {
        int d = a.dim();
        double[] x = a.data();
        double[] y = b.data();
        double s = 0;
        for (int k = 0; k < d; k++) {
            double v = x[i * d + k] - y[j * d + k];
            s += v * v;
        }
        return p == 2 ? s : Math.sqrt(s);
    }

    /** Applies the cost to a squared Euclidean distance. */
    public double ofSquaredDistance(double sq) {
        return p == 2 ? sq : Math.sqrt(sq);
    }

    /** The distance W_p from the transport cost W_p^p. */
    public double root(double cost) {
        double c = Math.max(0, cost);
        return p == 2 ? Math.sqrt(c) : c;
    }

    /** An upper bound on c over all pairs: the diameter of the joint bounding box, to the power p. */
    public double upperBound(Batch a, Batch b) {
        int d = a.dim();
        double sq = 0;
        for (int k = 0; k < d; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Batch s : new Batch[] {a, b}) {
                double[] v = s.data();
                for (int i = 0; i < s.size(); i++) {
                    lo = Math.min(lo, v[i * d + k]);
                    hi = Math.max(hi, v[i * d + k]);
                }
            }
            sq += (hi - lo) * (hi - lo);
        }
        return ofSquaredDistance(sq);
    }
}
