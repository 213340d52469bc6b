package org.pdediff.pde;

/**
 * The 1-D conservative finite-volume operator with exponentially fitted (Scharfetter–Gummel) fluxes, and the line
 * sweeps that apply and invert it along one axis of a 1-D or 2-D field.
 *
 * <p>For ∂_t p = −∂_x J, J = v p − D ∂_x p on cells of width h, the flux through the face between cells i and i+1 is
 * J_{i+½} = c⁺_i p_i − c⁻_i p_{i+1}, c⁺ = (D/h)B(−z), c⁻ = (D/h)B(z), z = v_{i+½}h/D, B(z) = z/(eᶻ − 1)
 * (Bernoulli function). Both c± ≥ 0, so I − kL is an M-matrix (positivity of implicit steps), the columns of L sum to
 * zero exactly (mass conservation to rounding), the flux is exact for locally constant v and D, reduces to central
 * differences (second order) when |z| is small and to upwinding when D → 0. Faces on the box boundary carry zero flux.
 * Then (Lp)_i = (c⁺_{i−1}p_{i−1} − (c⁻_{i−1} + c⁺_i)p_i + c⁻_i p_{i+1})/h.
 */
final class Tridiagonal {
    private Tridiagonal() {
    }

    /** B(z) = z/(eᶻ − 1), B(0) = 1. */
    static double bernoulli(double z) {
        if (z == 0) {
            return 1;
        }
        if (Math.abs(z) < 1e-10) {
            return 1 - 0.5 * z;
        }
        return z / Math.expm1(z);
    }

    /** c⁺ (from the left cell) of a face with velocity v, diffusion D ≥ 0 and spacing h. */
    static double cPlus(double v, double diff, double h) {
        if (diff <= 0 || Math.abs(v) * h > 1e300 * diff) {
            return Math.max(v, 0);
        }
        return diff / h * bernoulli(-v * h / diff);
    }

    /** c⁻ (from the right cell) of a face with velocity v, diffusion D ≥ 0 and spacing h. */
    static double cMinus(double v, double diff, double h) {
        if (diff <= 0 || Math.abs(v) * h > 1e300 * diff) {
            return Math.max(-v, 0);
        }
        return diff / h * bernoulli(v * h / diff);
    }

    /**
     * The three diagonals of L for one line of n cells, from the face velocities {@code vFace[i]} (face between cells
     * i and i+1, i = 0..n−2) into lower/diag/upper at {@code off..off+n−1} with the given stride of the arrays.
     */
    static void operator(double[] vFace, int vOff, int vStride, double diff, double h, int n,
            double[] lower, double[] diag, double[] upper, int off, int stride) {
        double prevMinus = 0;
        double prevPlus = 0;
        for (int i = 0; i < n; i++) {
            double cp = 0;
            double cm = 0;
            if (i < n - 1) {
                double v = vFace[vOff + i * vStride];
                cp = cPlus(v, diff, h);
                cm = cMinus(v, diff, h);
            }
            int k = off + i * stride;
            lower[k] = prevPlus / h;
            diag[k] = -(prevMinus + cp) / h;
            upper[k] = cm / h;
            prevPlus = cp;
            prevMinus = cm;
        }
    }

    /**
     * One line: out = p + k·L p (explicit part), for the line at {@code off} with {@code stride}; coefficient arrays are
     * indexed at {@code coff + i·cstride}.
     */
    static void explicit(double[] p, double[] out, int off, int stride, int n, double k,
            double[] lower, double[] diag, double[] upper, int coff, int cstride) {
        for (int i = 0; i < n; i++) {
            int a = off + i * stride;
            int c = coff + i * cstride;
            double s = diag[c] * p[a];
            if (i > 0) {
                s += lower[c] * p[a - stride];
            }
            if (i < n - 1) {
                s += upper[c] * p[a + stride];
            }
            out[a] = p[a] + k * s;
        }
    }

    /**
     * One line: solves (I − k·L) x = rhs in place (rhs overwritten by x) by the Thomas algorithm; {@code work} has
     * length ≥ n. No pivoting is needed: I − kL is column diagonally dominant.
     */
    static void solve(double[] rhs, int off, int stride, int n, double k,
            double[] lower, double[] diag, double[] upper, int coff, int cstride, double[] work) {
        // forward elimination; work[i] = c'_i
        double b = 1 - k * diag[coff];
        double c = -k * upper[coff];
        work[0] = c / b;
        rhs[off] = rhs[off] / b;
        for (int i = 1; i < n; i++) {
            int ci = coff + i * cstride;
            double a = -k * lower[ci];
            double m = 1 / (1 - k * diag[ci] - a * work[i - 1]);
            work[i] = -k * upper[ci] * m;
            int r = off + i * stride;
            rhs[r] = (rhs[r] - a * rhs[r - stride]) * m;
        }
        for (int i = n - 2; i >= 0; i--) {
            int r = off + i * stride;
            rhs[r] -= work[i] * rhs[r + stride];
        }
    }
}
