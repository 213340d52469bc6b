package org.pdediff.core;

import static org.pdediff.core.SpecialFunctions.erfc;

/** Gaussian probabilities from {@link SpecialFunctions#erfc}, accurate in both tails. */
public final class Normal {
    private static final double SQRT2 = Math.sqrt(2);

    private Normal() {
    }

    /** Standard normal CDF Φ(z). */
    public static double cdf(double z) {
        return 0.5 * erfc(-z / SQRT2);
    }

    /** Upper tail 1 − Φ(z), accurate for large z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / SQRT2);
    }

    /** P(a &lt; Z &lt; b) for Z ~ N(0, 1), a ≤ b, computed from whichever tail avoids cancellation. */
    public static double interval(double a, double b) {
        if (a >= 0) {
            return Math.max(0, upperTail(a) - upperTail(b));
        }
        if (b <= 0) {
            return Math.max(0, cdf(b) - cdf(a));
        }
        return 1 - cdf(a) - upperTail(b);
    }
}
