package org.pdediff.pde;

import org.pdediff.core.Grid;
import org.pdediff.core.NumericalFailureException;

/**
 * Watches a grid solution during a solve: every value finite, and the mass Σ pᵢ|cell| equal to the start's.
 *
 * <p>Both grid solvers are conservative finite-volume schemes with zero-flux boundaries (M3, M9): the mass changes
 * only by rounding, a few ulps per step (7.5e-15 relative after 400 steps on 256², README). A relative drift above
 * {@link #REL_TOL} = 1e-6 — eight orders above rounding and far below any visible loss — therefore means the
 * computation went wrong (overflow, a non-finite score value, an unstable step), and the solve stops with a
 * {@link NumericalFailureException} naming the step and the time, instead of returning a wrong density. One pass
 * over the values per step: the sum is non-finite exactly when a value is (or the sum overflows).
 */
final class MassGuard {
    /** Relative mass drift that is not rounding. */
    static final double REL_TOL = 1e-6;

    private final String what;
    private final double cell;
    private final double m0;

    MassGuard(String what, Grid grid, double[] p0) {
        this.what = what;
        this.cell = grid.cellVolume();
        this.m0 = sum(p0) * cell;
    }

    /** Σ p with four independent partial sums (four times the throughput of one dependent chain). */
    private static double sum(double[] p) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < p.length; i += 4) {
            s0 += p[i];
            s1 += p[i + 1];
            s2 += p[i + 2];
            s3 += p[i + 3];
        }
        for (; i < p.length; i++) {
            s0 += p[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Throws {@link NumericalFailureException} if {@code p} (after step {@code step}, at time {@code t}) is not plausible. */
    void check(double[] p, int step, double t) {
        double s = sum(p);
        if (!Double.isFinite(s)) {
            int at = -1;
            for (int i = 0; i < p.length && at < 0; i++) {
                if (!Double.isFinite(p[i])) {
                    at = i;
                }
            }
            throw new NumericalFailureException(what + ": the density became non-finite at step " + step + ", t = " + t
                    + (at >= 0 ? " (cell " + at + " = " + p[at] + ")" : " (its sum overflowed)")
                    + "; try more steps, the backward-Euler scheme or a larger box");
        }
        double m = s * cell;
        if (Double.isFinite(m0) && m0 > 0 && Math.abs(m - m0) > REL_TOL * m0) {
            throw new NumericalFailureException(what + ": mass drifted from " + m0 + " to " + m + " at step " + step
                    + ", t = " + t + " (relative " + String.format(java.util.Locale.ROOT, "%.2e", Math.abs(m - m0) / m0)
                    + ", rounding is below 1e-12); the scheme lost conservation");
        }
    }
}
