package org.pdediff.core;

/** Small dense helpers for d × d matrices with small d (mixture covariances); EJML serves larger problems. */
public final class Linalg {
    private Linalg() {
    }

    /**
     * Scales the vector a[off], a[off + stride], …, a[off + (len − 1)·stride] to unit Euclidean length:
     * v ← v / √(Σ v_i²) (a zero vector becomes NaN).
     */
    public static void normalize(double[] a, int off, int stride, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[off + i * stride] * a[off + i * stride];
        }
        double inv = 1 / Math.sqrt(s);
        for (int i = 0; i < len; i++) {
            a[off + i * stride] *= inv;
        }
    }

    /**
     * Lower Cholesky factor of a symmetric positive semi-definite matrix, with zero columns where a pivot is zero
     * (so a point mass has factor 0).
     */
    public static double[] choleskyPsd(double[] a, int d) {
        return cholesky(a, d, true);
    }

    /**
     * Cholesky factor L (lower, row-major) of a symmetric positive definite matrix; returns null if a pivot is not
     * positive.
     */
    public static double[] cholesky(double[] a, int d) {
        return cholesky(a, d, false);
    }

    /**
     * A = L Lᵀ column by column: L_jj = √(A_jj − Σ_{k<j} L_jk²), L_ij = (A_ij − Σ_{k<j} L_ik L_jk)/L_jj. A pivot
     * A_jj − Σ L_jk² that is not positive gives null, or, when {@code semiDefinite}, a zero column (pivots up to
     * 1e-300 count as zero).
     */
    private static double[] cholesky(double[] a, int d, boolean semiDefinite) {
        double[] l = new double[d * d];
        for (int j = 0; j < d; j++) {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) {
                s -= l[j * d + k] * l[j * d + k];
            }
            if (!semiDefinite && !(s > 0)) {
                return null;
            }
            double pivot = s > (semiDefinite ? 1e-300 : 0) ? Math.sqrt(s) : 0;
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

    /**
     * The smallest eigenvalue of the symmetric part ½(J + Jᵀ) of each d × d block of {@code jac} (row-major blocks,
     * one after another), NaN where it is not finite. Closed form for d ≤ 2 (m − √(((a − e)/2)² + b²)); cyclic Jacobi
     * rotations to machine precision for d &gt; 2.
     */
    public static double[] minEigenSym(double[] jac, int d) {
        int cells = jac.length / (d * d);
        double[] out = new double[cells];
        double[] w = d > 2 ? new double[d * d] : null;
        for (int c = 0; c < cells; c++) {
            int o = c * d * d;
            if (d == 1) {
                out[c] = jac[o];
            } else if (d == 2) {
                double a = jac[o];
                double b = 0.5 * (jac[o + 1] + jac[o + 2]);
                double e = jac[o + 3];
                double m = 0.5 * (a + e);
                double r = Math.hypot(0.5 * (a - e), b);
                out[c] = m - r;
            } else {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        w[i * d + j] = 0.5 * (jac[o + i * d + j] + jac[o + j * d + i]);
                    }
                }
                out[c] = jacobiMinEigen(w, d);
            }
            if (!Double.isFinite(out[c])) {
                out[c] = Double.NaN;
            }
        }
        return out;
    }

    /** Smallest eigenvalue of a symmetric matrix (overwritten) by cyclic Jacobi sweeps. */
    private static double jacobiMinEigen(double[] a, int d) {
        for (int sweep = 0; sweep < 64; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < d; i++) {
                diag += a[i * d + i] * a[i * d + i];
                for (int j = i + 1; j < d; j++) {
                    off += a[i * d + j] * a[i * d + j];
                }
            }
            if (!(off > 1e-32 * diag)) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p * d + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k * d + p];
                        double akq = a[k * d + q];
                        a[k * d + p] = cs * akp - sn * akq;
                        a[k * d + q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p * d + k];
                        double aqk = a[q * d + k];
                        a[p * d + k] = cs * apk - sn * aqk;
                        a[q * d + k] = sn * apk + cs * aqk;
                    }
                }
            }
        }
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < d; i++) {
            m = Math.min(m, a[i * d + i]);
        }
        return m;
    }
}
