package org.pdediff.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.ReverseDynamics;
import org.pdediff.score.ScoreModel;

/**
 * The one sampler: the reverse dynamics of a score ({@link ReverseDynamics}, M8) from T to ε, either over a fixed
 * {@link TimeGrid} with one {@link GridStep} per grid interval (EM, PC, DDPM, DDIM, and Euler/Heun/RK4 tableaux of the
 * probability-flow ODE), or adaptively with an embedded Runge–Kutta pair (dp45, bs23) that lands exactly on the
 * recording times and on ε. Step handlers record the trajectory, report progress and check finiteness; Tweedie's
 * final step is optional. Holds only immutable configuration: safe to share between threads.
 */
final class ReverseSampler implements Sampler {
    private final SamplingOptions opts;
    private final GridStep.Method method;
    private final ButcherTableau adaptive;

    private ReverseSampler(SamplingOptions opts, GridStep.Method method, ButcherTableau adaptive) {
        this.opts = opts;
        this.method = method;
        this.adaptive = adaptive;
    }

    /** A fixed-grid sampler. */
    static ReverseSampler onGrid(SamplingOptions opts, GridStep.Method method) {
        return new ReverseSampler(opts, method, null);
    }

    /** An adaptive probability-flow sampler with an embedded pair. */
    static ReverseSampler adaptive(SamplingOptions opts, ButcherTableau pair) {
        return new ReverseSampler(opts, null, pair);
    }

    @Override
    public SampleResult sample(ScoreModel score, Batch start, long firstParticle, List<StepHandler> extra) {
        if (start.dim() != score.dim()) {
            throw new InvalidInputException("start points have dimension " + start.dim()
                    + " but the score has dimension " + score.dim());
        }
        TimeGrid grid = opts.timeGrid(score.sde().T());
        Run run = new Run(score, start, firstParticle, grid);
        String name = opts.kind().name().toLowerCase(java.util.Locale.ROOT);
        TrajectoryRecorder recorder = adaptive == null ? TrajectoryRecorder.nearestOf(grid, opts.recordTimes())
                : TrajectoryRecorder.exact(opts.recordTimes());
        List<StepHandler> handlers = new ArrayList<>();
        handlers.add(recorder);
        handlers.add(adaptive == null ? ProgressHandler.fixed(opts.listener(), grid.steps())
                : ProgressHandler.adaptive(opts.listener(), grid.start(), grid.end()));
        handlers.add(new FinitenessCheck(name, score.sde(), start, firstParticle));
        handlers.addAll(extra);
        for (StepHandler h : handlers) {
            h.init(grid.start(), run.x);
        }
        int steps;
        int rejected = 0;
        if (adaptive == null) {
            GridStep step = method.forRun(run);
            int K = grid.steps();
            for (int k = 0; k < K; k++) {
                step.step(run, k, k == K - 1);
                StepHandler.StepEvent e = new StepHandler.StepEvent(k + 1, grid.time(k + 1), grid.step(k), run.x, false);
                for (StepHandler h : handlers) {
                    h.handleStep(e);
                }
            }
            steps = K;
        } else {
            RungeKutta rk = new RungeKutta(adaptive, RungeKuttaStep.flow(run), run.n * run.d);
            RungeKutta.Counts c = rk.integrate(grid.start(), run.x.data(), stops(grid.start(), grid.end()), opts.rtol(),
                    opts.atol(), opts.maxSteps(), RungeKutta.ErrorNorm.RMS, (k, t, h, y, hit) -> {
                        StepHandler.StepEvent e = new StepHandler.StepEvent(k, t, -h, run.x, hit >= 0);
                        for (StepHandler hd : handlers) {
                            hd.handleStep(e);
                        }
                    }, name);
            steps = c.accepted();
            rejected = c.rejected();
        }
        if (opts.finalDenoise()) {
            run.finalDenoise();
        }
        for (StepHandler h : handlers) {
            h.finish(grid.end(), run.x);
        }
        return new SampleResult(run.x, run.nfe, steps, rejected, opts.finalDenoise(), recorder.snapshots());
    }

    /** The decreasing stop times of an adaptive run: recording times strictly inside (ε, T), then ε. */
    private double[] stops(double tStart, double tEnd) {
        double[] inside = Arrays.stream(opts.recordTimes()).filter(r -> r < tStart && r > tEnd).distinct().toArray();
        Arrays.sort(inside);
        double[] out = new double[inside.length + 1];
        for (int i = 0; i < inside.length; i++) {
            out[i] = inside[inside.length - 1 - i];
        }
        out[inside.length] = tEnd;
        return out;
    }
}
