package org.pdediff.core;

/** Small dense helpers for d × d matrices with small d (mixture covariances); EJML serves larger problems. */
public final class Linalg {
    private Linalg() {
    }

    /**
     * Lower Cholesky factor of a symmetric positive semi-definite matrix, with zero columns where a pivot is zero
     * (so a point mass has factor 0).
     */
    public static double[] choleskyPsd(double[] a, int d) {
        double[] l = new double[d * d];
        for (int j = 0; j < d; j++) {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) {
                s -= l[j * d + k] * l[j * d + k];
            }
            double pivot = s > 1e-300 ? Math.sqrt(s) : 0;
            l[j * d + j] = pivot;
            for (int i = j + 1; i < d; i++) {
                double v = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * d + k] * l[j * d + k];
                }
                l[i * d + j] = pivot == 0 ? 0 : v / pivot;
            }
        }
        return l;
    }

    /**
     * Cholesky factor L (lower, row-major) of a symmetric positive definite matrix; returns null if a pivot is not
     * positive.
     */
    public static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int j = 0; j < d; j++) {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) {
                s -= l[j * d + k] * l[j * d + k];
            }
            if (!(s > 0)) {
                return null;
            }
            double pivot = Math.sqrt(s);
            l[j * d + j] = pivot;
            for (int i = j + 1; i < d; i++) {
                double v = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * d + k] * l[j * d + k];
                }
                l[i * d + j] = v / pivot;
            }
        }
        return l;
    }

    /** Inverse of an SPD matrix from its Cholesky factor. */
    public static double[] inverseFromCholesky(double[] l, int d) {
        double[] inv = new double[d * d];
        double[] col = new double[d];
        for (int c = 0; c < d; c++) {
            java.util.Arrays.fill(col, 0);
            col[c] = 1;
            solveCholesky(l, d, col);
            for (int r = 0; r < d; r++) {
                inv[r * d + c] = col[r];
            }
        }
        return inv;
    }

    /** Solves (L Lᵀ) x = b in place (b modified). */
    public static void solveCholesky(double[] l, int d, double[] b) {
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * d + k] * b[k];
            }
            b[i] = s / l[i * d + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < d; k++) {
                s -= l[k * d + i] * b[k];
            }
            b[i] = s / l[i * d + i];
        }
    }

    /** log det of L Lᵀ. */
    public static double logDetFromCholesky(double[] l, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += Math.log(l[i * d + i]);
        }
        return 2 * s;
    }
}
