package org.pdediff.sample;

/**
 * One step of a fixed-grid method, from grid time t_k to t_{k+1} = t_k − h_k, on a run's particles (in place).
 * Instances hold only immutable configuration, or the buffers of one run when made by {@link Method#forRun}.
 */
@FunctionalInterface
interface GridStep {
    /**
     * @param run  the run (particles, score buffer, evaluation counter)
     * @param k    the grid index of the step's start
     * @param last whether this is the last step of the grid
     */
    void step(Run run, int k, boolean last);

    /** A fixed-grid method: makes the step of one run (stateless methods return themselves). */
    @FunctionalInterface
    interface Method {
        GridStep forRun(Run run);
    }

    /** A stateless step that is its own method: its runs share it. */
    interface Stateless extends GridStep, Method {
        @Override
        default GridStep forRun(Run run) {
            return this;
        }
    }
}
