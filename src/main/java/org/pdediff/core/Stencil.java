package org.pdediff.core;

/**
 * The point stencil of second-order central differences in d dimensions, one place for every finite-difference
 * diagnostic (the score-FP residual of {@code score.ScoreDiagnostics}, the potential derivatives of TorchScript scores).
 *
 * <p>Layout: n points x (row-major n × d) are copied into {@link #blocks(int)} consecutive blocks of n rows: block 0 is
 * x, blocks 1 + 2k and 2 + 2k are x + h e_k and x − h e_k, and for each pair j &lt; k (index {@link #pairIndex}) the four
 * blocks starting at 1 + 2d + 4·pair are x + h e_j + h e_k, x + h e_j − h e_k, x − h e_j + h e_k, x − h e_j − h e_k.
 */
public final class Stencil {
    private Stencil() {
    }

    /** Number of blocks, 1 + 2d + 2d(d − 1). */
    public static int blocks(int d) {
        return 1 + 2 * d + 2 * d * (d - 1);
    }

    /** Index of the pair (j, k), j &lt; k, among the d(d − 1)/2 pairs in row-major order. */
    public static int pairIndex(int j, int k, int d) {
        return j * d - j * (j + 1) / 2 + (k - j - 1);
    }

    /** The stencil's points (blocks(d)·n rows of d, row-major). */
    public static double[] points(double[] x, int n, int d, double h) {
        return fill(x, n, d, h, true);
    }

    /** The first 1 + 2d blocks only (x and x ± h e_k): what first and pure second derivatives need. */
    public static double[] axisPoints(double[] x, int n, int d, double h) {
        return fill(x, n, d, h, false);
    }

    /**
     * ∂_k(∇·f)(x_i) = Σ_j ∂_j∂_k f_j from a vector field f (d components) on the stencil {@link #points} (rows
     * laid out as the points): ∂_k∂_k f_k by the three-point second difference, ∂_j∂_k f_j (j ≠ k) by the four-point
     * mixed difference, step h, terms in order j = k, then j ascending; error O(h²).
     */
    public static double gradDiv(double[] f, int n, int d, int i, int k, double h) {
        int nd = n * d;
        int o = i * d;
        double v = (f[(1 + 2 * k) * nd + o + k] - 2 * f[o + k] + f[(2 + 2 * k) * nd + o + k]) / (h * h);
        for (int j = 0; j < d; j++) {
            if (j == k) {
                continue;
            }
            int base = (1 + 2 * d + 4 * pairIndex(Math.min(j, k), Math.max(j, k), d)) * nd + o;
            // blocks ++, +−, −+, −− in (min, max)
            v += (f[base + j] - f[base + nd + j] - f[base + 2 * nd + j] + f[base + 3 * nd + j]) / (4 * h * h);
        }
        return v;
    }

    private static double[] fill(double[] x, int n, int d, double h, boolean pairs) {
        int blocks = pairs ? blocks(d) : 1 + 2 * d;
        double[] dst = new double[blocks * n * d];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(x, 0, dst, b * n * d, n * d);
        }
        int b = 1;
        for (int k = 0; k < d; k++) {
            shift(dst, b++, n, d, k, h, -1, 0);
            shift(dst, b++, n, d, k, -h, -1, 0);
        }
        for (int j = 0; j < d && pairs; j++) {
            for (int k = j + 1; k < d; k++) {
                shift(dst, b++, n, d, j, h, k, h);
                shift(dst, b++, n, d, j, h, k, -h);
                shift(dst, b++, n, d, j, -h, k, h);
                shift(dst, b++, n, d, j, -h, k, -h);
            }
        }
        return dst;
    }

    private static void shift(double[] a, int block, int n, int d, int j, double hj, int k, double hk) {
        for (int i = 0; i < n; i++) {
            int o = (block * n + i) * d;
            a[o + j] += hj;
            if (k >= 0) {
                a[o + k] += hk;
            }
        }
    }
}
