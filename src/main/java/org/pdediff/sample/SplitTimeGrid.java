package org.pdediff.sample;

import org.pdediff.core.InvalidInputException;

/**
 * A sampler time grid in two uniform stages (the grid of P3's samplers): {@code coarse} equal steps from T down to
 * {@code span}, then {@code fine} equal steps from {@code span} down to ε, so that the small times where the score
 * is stiffest get the finer steps.
 */
public final class SplitTimeGrid {
    private SplitTimeGrid() {
    }

    /**
     * The grid T = t_0 > … > t_coarse = span > … > t_{coarse+fine} = ε.
     *
     * @throws InvalidInputException unless coarse, fine ≥ 1 and 0 < ε < span < T
     */
    public static TimeGrid of(double T, int coarse, int fine, double span, double eps) {
        if (coarse < 1 || fine < 1) {
            throw new InvalidInputException("a split time grid needs coarse and fine steps >= 1, got " + coarse + " and " + fine);
        }
        if (!(eps > 0 && eps < span && span < T)) {
            throw new InvalidInputException("a split time grid needs 0 < eps < span < T, got eps = " + eps + ", span = " + span + ", T = " + T);
        }
        double[] t = new double[coarse + fine + 1];
        for (int k = 0; k <= coarse; k++) {
            t[k] = T - k * (T - span) / coarse;
        }
        for (int j = 1; j <= fine; j++) {
            t[coarse + j] = j == fine ? eps : span - j * span / fine;
        }
        return TimeGrid.ofTimes(t);
    }
}
