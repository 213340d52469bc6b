package org.pdediff.pde;

import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;

/**
 * Scalar diagnostics of grid densities beyond the norms of {@link GridDensity}: the mass a closed-form law has
 * outside the box, and the L^p growth factors of claim C4.
 */
public final class GridMetrics {
    private GridMetrics() {
    }

    /** 1 − (mass of the exact cell averages of {@code law} inside the grid's box): what a zero-flux box cuts off. */
    public static double massOutside(MixtureLaw law, Grid grid) {
        return Math.max(0, 1 - law.cellAverages(grid, 0).mass());
    }

    /**
     * The C4 bound on the L^p growth of any solution of the exact-score probability-flow transport (M9, λ = 0) on
     * heat: ‖w(τ)‖_p ≤ (T/(T − τ))^{(d/2)(1 − 1/p)} ‖w(0)‖_p, for 1 ≤ p ≤ ∞ (p = ∞ gives exponent d/2).
     */
    public static double lpGrowthBound(int d, double bigT, double tau, double p) {
        if (!(p >= 1) || !(tau >= 0) || !(tau < bigT)) {
            throw new InvalidInputException("L^p growth bound needs p >= 1 and 0 <= tau < T");
        }
        double e = p == Double.POSITIVE_INFINITY ? 0.5 * d : 0.5 * d * (1 - 1 / p);
        return Math.pow(bigT / (bigT - tau), e);
    }

    /** The measured L^p growth factor ‖w(τ)‖_p / ‖w(0)‖_p of a solution. */
    public static double lpGrowth(GridDensity start, GridDensity later, double p) {
        return later.lpNorm(p) / start.lpNorm(p);
    }
}
