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
