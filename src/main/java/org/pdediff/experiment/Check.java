package org.pdediff.experiment;

/**
 * One quantitative check of a claim: a measured number against its prediction within a tolerance. An experiment's
 * {@code claim_holds} is the conjunction of its checks ({@link ExperimentResult#claimHolds()}); a NaN measurement
 * never holds (every comparison with NaN is false).
 *
 * @param name      what is checked, e.g. {@code "circle sde from prior: slope"}
 * @param measured  the measured value
 * @param predicted the predicted value, or the bound
 * @param tolerance the allowed deviation from {@code predicted} (0 for one-sided bounds)
 * @param holds     whether the measurement agrees with the prediction
 */
public record Check(String name, double measured, double predicted, double tolerance, boolean holds) {
    /** {@code measured ≤ bound}. */
    public static Check atMost(String name, double measured, double bound) {
        return new Check(name, measured, bound, 0, measured <= bound);
    }

    /** {@code measured < bound} (strict). */
    public static Check below(String name, double measured, double bound) {
        return new Check(name, measured, bound, 0, measured < bound);
    }

    /** {@code measured > bound} (strict). */
    public static Check above(String name, double measured, double bound) {
        return new Check(name, measured, bound, 0, measured > bound);
    }

    /** {@code measured ≥ bound}. */
    public static Check atLeast(String name, double measured, double bound) {
        return new Check(name, measured, bound, 0, measured >= bound);
    }

    /** An error (≥ 0) that should vanish: {@code error ≤ tolerance} (predicted 0). */
    public static Check zero(String name, double error, double tolerance) {
        return new Check(name, error, 0, tolerance, error <= tolerance);
    }

    /** {@code |measured − predicted| ≤ tolerance}. */
    public static Check near(String name, double measured, double predicted, double tolerance) {
        return new Check(name, measured, predicted, tolerance, Math.abs(measured - predicted) <= tolerance);
    }

    /** {@code lo ≤ measured ≤ hi} (predicted: the midpoint, tolerance: the half-width). */
    public static Check between(String name, double measured, double lo, double hi) {
        return new Check(name, measured, 0.5 * (lo + hi), 0.5 * (hi - lo), lo <= measured && measured <= hi);
    }

    /** A yes/no part of a claim (measured 1 or 0 against the predicted 1). */
    public static Check that(String name, boolean holds) {
        return new Check(name, holds ? 1 : 0, 1, 0, holds);
    }
}
