package org.pdediff.sample;

import org.pdediff.core.Batch;

/**
 * Observes a sampler run step by step (Hipparchus' {@code ODEStepHandler}: init / handleStep / finish). Trajectory
 * recording, progress reporting and the finiteness check are handlers; users may add their own through
 * {@link Sampler#sample(org.pdediff.score.ScoreModel, Batch, long, java.util.List)}. A handler receives the live
 * particles: it must not modify them and must copy what it keeps. Handlers are created per run, so samplers stay
 * stateless.
 */
public interface StepHandler {
    /** Called once before the first step, with the start time T (or the grid's first time) and the particles there. */
    default void init(double t0, Batch x0) {
    }

    /** Called after every accepted step. */
    void handleStep(StepEvent event);

    /** Called once at the end, with the final time and particles (after Tweedie's step when it was asked for). */
    default void finish(double t, Batch x) {
    }

    /**
     * One accepted step.
     *
     * @param step  accepted steps so far (1-based); for fixed grids, the grid index reached
     * @param t     the time reached
     * @param h     the size of the step just taken (positive: t decreased by h)
     * @param x     the particles at t (live; do not modify)
     * @param exact whether t is exactly a requested stop time (adaptive methods land on them), for recorders
     */
    record StepEvent(int step, double t, double h, Batch x, boolean exact) {
    }
}
