package org.pdediff.sample;

import org.pdediff.core.InvalidInputException;

/**
 * The step control shared by the builders of adaptively integrated runs ({@link SamplingOptions} for dp45/bs23
 * sampling, {@link Likelihood}): the tolerances of the {@link RungeKutta} controller, sc_q = atol + rtol·max(|y_q|,
 * |y_new,q|) (MATH.md §7), and the cap on accepted plus rejected steps. Defaults rtol = atol = 1e-5 (score_sde) and
 * 100 000 steps; one validation for both.
 *
 * @param <B> the concrete builder, returned by the setters so that calls chain
 */
public abstract class AdaptiveStepBuilder<B extends AdaptiveStepBuilder<B>> {
    double rtol = 1e-5;
    double atol = 1e-5;
    int maxSteps = 100_000;

    AdaptiveStepBuilder() {
    }

    /** This builder, as its own type. */
    abstract B self();

    public B rtol(double v) {
        rtol = v;
        return self();
    }

    public B atol(double v) {
        atol = v;
        return self();
    }

    public B maxSteps(int v) {
        maxSteps = v;
        return self();
    }

    /** Fails with one line when a tolerance is not positive or the step cap is not positive. */
    static void requireValidStepControl(double rtol, double atol, int maxSteps) {
        if (!(rtol > 0) || !(atol > 0)) {
            throw new InvalidInputException("rtol and atol must be > 0");
        }
        if (maxSteps <= 0) {
            throw new InvalidInputException("max steps must be > 0");
        }
    }
}
