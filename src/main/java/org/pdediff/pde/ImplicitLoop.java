package org.pdediff.pde;

import org.pdediff.core.Grid;
import org.pdediff.core.ProgressListener;

/**
 * The implicit time loop shared by {@link ForwardFokkerPlanck} and the λ &gt; 0 branch of {@link ReverseFokkerPlanck}:
 * over the levels of a {@link TimeMesh}, Crank–Nicolson per axis with Rannacher damping (the first {@code damping} steps
 * are two backward-Euler half steps each, the first with the operator at the half level) or backward Euler
 * ({@link TimeScheme}), each step checked by a {@link MassGuard}, each output level handed to a sink.
 *
 * <p>Forward solves run up in time with a fixed axis order (the linear-drift axis operators commute); reverse solves
 * run down in time and alternate the axis order between steps (Strang splitting over each pair of steps).
 */
final class ImplicitLoop {
    private ImplicitLoop() {
    }

    /** The per-axis operators at a time level. */
    @FunctionalInterface
    interface Operator {
        SplitStepper.Coeffs[] at(double t);
    }

    /** Receives the solution at output {@code index} (the array is live: copy what is kept). */
    @FunctionalInterface
    interface Sink {
        void output(int index, double[] values);
    }

    /**
     * Advances {@code p} in place over the levels {@code lv} and returns the number of steps.
     *
     * @param reverse true when the levels decrease (reverse time) and the axis order alternates
     * @param outIdx  for each output, the level index at which it is reached (non-decreasing)
     */
    static int run(Grid grid, double[] p, double[] lv, int[] outIdx, TimeScheme scheme, int damping, boolean reverse,
            Operator op, MassGuard guard, ProgressListener progress, Sink sink) {
        SplitStepper stepper = new SplitStepper(grid);
        SplitStepper.Coeffs[] c0 = op.at(lv[0]);
        int next = 0;
        int nSteps = lv.length - 1;
        for (int s = 1; s <= nSteps; s++) {
            double ta = lv[s - 1];
            double tb = lv[s];
            double k = reverse ? ta - tb : tb - ta;
            boolean flip = reverse && (s % 2) == 0;
            SplitStepper.Coeffs[] c1;
            if (scheme == TimeScheme.BACKWARD_EULER) {
                c1 = op.at(tb);
                stepper.step(p, null, c1, k, true, flip);
            } else if (s <= damping) {
                stepper.step(p, null, op.at(reverse ? ta - 0.5 * k : ta + 0.5 * k), 0.5 * k, true, flip);
                c1 = op.at(tb);
                stepper.step(p, null, c1, 0.5 * k, true, reverse != flip);
            } else {
                c1 = op.at(tb);
                stepper.step(p, c0, c1, k, false, flip);
            }
            c0 = c1;
            guard.check(p, s, tb);
            while (next < outIdx.length && outIdx[next] == s) {
                sink.output(next, p);
                next++;
            }
            progress.progress(s, nSteps, "t=" + (float) tb);
        }
        return nSteps;
    }
}
