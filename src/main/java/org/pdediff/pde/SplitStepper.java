package org.pdediff.pde;

import org.pdediff.core.Grid;
/**
 * Dimension-split implicit time steps for ∂_t p = Σ_j L_j(t) p, where L_j is the 1-D Scharfetter–Gummel operator of
 * {@link Tridiagonal} acting along axis j (with coefficients that may vary from line to line).
 *
 * <p>One step t₀ → t₁ = t₀ + k applies, axis after axis in the given order, either Crank–Nicolson
 * (I − ½kL_j(t₁)) p' = (I + ½kL_j(t₀)) p or backward Euler (I − kL_j(t₁)) p' = p, each a set of tridiagonal (Thomas)
 * solves. When the L_j commute (the forward FP of a linear drift: L₀ ⊗ I and I ⊗ L₁ act on different coordinates)
 * the split step equals the tensor product of the 1-D steps and there is no splitting error; otherwise alternating
 * the axis order from step to step gives Strang's second-order splitting over each pair of steps.
 */
final class SplitStepper {
    /** Coefficients of L_j on one axis: per line ({@code shared = false}, indexed like the field) or one line for all. */
    record Coeffs(double[] lower, double[] diag, double[] upper, boolean shared) {
    }

    private final Grid grid;
    private final double[] tmp;
    private final double[] work;

    SplitStepper(Grid grid) {
        this.grid = grid;
        this.tmp = new double[grid.cells()];
        int m = 0;
        for (int j = 0; j < grid.dim(); j++) {
            m = Math.max(m, grid.n(j));
        }
        this.work = new double[m];
    }

    /** One step of size k on p (modified), with operators at the start and the end of the step. */
    void step(double[] p, Coeffs[] start, Coeffs[] end, double k, boolean backwardEuler, boolean reverseOrder) {
        int d = grid.dim();
        for (int q = 0; q < d; q++) {
            int dir = reverseOrder ? d - 1 - q : q;
            sweep(p, dir, start == null ? null : start[dir], end[dir], k, backwardEuler);
        }
    }

    private void sweep(double[] p, int dir, Coeffs c0, Coeffs c1, double k, boolean be) {
        if (c1.shared && (be || c0.shared)) {
            sweepShared(p, dir, c0, c1, k, be);
            return;
        }
        int n = grid.n(dir);
        int stride = grid.stride(dir);
        for (int off : grid.lineStarts(dir)) {
            int coff0 = c0 == null || c0.shared ? 0 : off;
            int cs0 = c0 == null || c0.shared ? 1 : stride;
            int coff1 = c1.shared ? 0 : off;
            int cs1 = c1.shared ? 1 : stride;
            if (be) {
                Tridiagonal.solve(p, off, stride, n, k, c1.lower, c1.diag, c1.upper, coff1, cs1, work);
            } else {
                Tridiagonal.explicit(p, tmp, off, stride, n, 0.5 * k, c0.lower, c0.diag, c0.upper, coff0, cs0);
                Tridiagonal.solve(tmp, off, stride, n, 0.5 * k, c1.lower, c1.diag, c1.upper, coff1, cs1, work);
                for (int i = 0; i < n; i++) {
                    int a = off + i * stride;
                    p[a] = tmp[a];
                }
            }
        }
    }

    /**
     * The same sweep when every line has the same coefficients: the Thomas factorisation is done once, and along the
     * slow axis the lines are processed together with contiguous inner loops.
     */
    private void sweepShared(double[] p, int dir, Coeffs c0, Coeffs c1, double k, boolean be) {
        int d = grid.dim();
        int n = grid.n(dir);
        double ki = be ? k : 0.5 * k;
        // factorise (I − ki L1): a_i, m_i = 1/pivot_i, cp_i
        double[] a = new double[n];
        double[] m = new double[n];
        double[] cp = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i == 0 ? 0 : -ki * c1.lower[i];
            m[i] = 1 / (1 - ki * c1.diag[i] - (i == 0 ? 0 : a[i] * cp[i - 1]));
            cp[i] = -ki * c1.upper[i] * m[i];
        }
        double ke = 0.5 * k;
        if (d == 1 || dir == 1) {
            int lines = d == 1 ? 1 : grid.n(0);
            double[] r = work;
            for (int line = 0; line < lines; line++) {
                int off = line * n;
                for (int i = 0; i < n; i++) {
                    double v = p[off + i];
                    if (!be) {
                        double s = c0.diag[i] * v;
                        if (i > 0) {
                            s += c0.lower[i] * p[off + i - 1];
                        }
                        if (i < n - 1) {
                            s += c0.upper[i] * p[off + i + 1];
                        }
                        v += ke * s;
                    }
                    r[i] = v;
                }
                double prev = 0;
                for (int i = 0; i < n; i++) {
                    prev = (r[i] - a[i] * prev) * m[i];
                    r[i] = prev;
                }
                for (int i = n - 2; i >= 0; i--) {
                    r[i] -= cp[i] * r[i + 1];
                }
                System.arraycopy(r, 0, p, off, n);
            }
            return;
        }
        // dir == 0 in 2-D: rows of length n1 are contiguous; sweep all lines at once.
        int n1 = grid.n(1);
        double[] r = tmp;
        for (int i = 0; i < n; i++) {
            int o = i * n1;
            if (be) {
                System.arraycopy(p, o, r, o, n1);
            } else {
                double lo = c0.lower[i];
                double di = c0.diag[i];
                double up = c0.upper[i];
                for (int j = 0; j < n1; j++) {
                    double s = di * p[o + j];
                    if (i > 0) {
                        s += lo * p[o - n1 + j];
                    }
                    if (i < n - 1) {
                        s += up * p[o + n1 + j];
                    }
                    r[o + j] = p[o + j] + ke * s;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int o = i * n1;
            double ai = a[i];
            double mi = m[i];
            if (i == 0) {
                for (int j = 0; j < n1; j++) {
                    r[j] *= mi;
                }
            } else {
                for (int j = 0; j < n1; j++) {
                    r[o + j] = (r[o + j] - ai * r[o - n1 + j]) * mi;
                }
            }
        }
        for (int i = n - 2; i >= 0; i--) {
            int o = i * n1;
            double ci = cp[i];
            for (int j = 0; j < n1; j++) {
                r[o + j] -= ci * r[o + n1 + j];
            }
        }
        System.arraycopy(r, 0, p, 0, p.length);
    }

    /** Shared coefficients of axis j for a face velocity v(x) = −a·x and diffusion D (the forward FP, M3). */
    static Coeffs linearDrift(Grid grid, int j, double a, double diff) {
        int n = grid.n(j);
        double[] v = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            v[i] = -a * grid.face(j, i + 1);
        }
        double[] lo = new double[n];
        double[] di = new double[n];
        double[] up = new double[n];
        Tridiagonal.operator(v, 0, 1, diff, grid.h(j), n, lo, di, up, 0, 1);
        return new Coeffs(lo, di, up, true);
    }

    /**
     * Per-line coefficients of axis j for a velocity field given at cell centres ({@code velocity}, cells × d
     * row-major; the face value is the mean of its two cells) and diffusion D.
     */
    static Coeffs field(Grid grid, int j, double[] velocity, double diff) {
        int d = grid.dim();
        int n = grid.n(j);
        int cells = grid.cells();
        double[] lo = new double[cells];
        double[] di = new double[cells];
        double[] up = new double[cells];
        double[] v = new double[n - 1];
        int stride = grid.stride(j);
        for (int off : grid.lineStarts(j)) {
            for (int i = 0; i < n - 1; i++) {
                int a = off + i * stride;
                v[i] = 0.5 * (velocity[a * d + j] + velocity[(a + stride) * d + j]);
            }
            Tridiagonal.operator(v, 0, 1, diff, grid.h(j), n, lo, di, up, off, stride);
        }
        return new Coeffs(lo, di, up, false);
    }
}
