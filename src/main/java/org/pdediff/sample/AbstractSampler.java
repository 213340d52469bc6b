package org.pdediff.sample;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/** Shared machinery of the fixed-grid samplers: grid, noise streams, recording, progress, final denoising. */
abstract class AbstractSampler implements Sampler {
    protected final SamplingOptions opts;

    AbstractSampler(SamplingOptions opts) {
        this.opts = opts;
    }

    /** Mutable state of one run. */
    static final class Run {
        final ScoreModel score;
        final Sde sde;
        final TimeGrid grid;
        final Batch x;
        final Batch s;
        final long firstParticle;
        final int n;
        final int d;
        long nfe;
        final List<Snapshot> trajectory = new ArrayList<>();
        final boolean[] recorded;
        final int[] recordIndex;
        final double[] requested;

        Run(ScoreModel score, Batch start, long firstParticle, TimeGrid grid, double[] recordTimes) {
            this.score = score;
            this.sde = score.sde();
            this.grid = grid;
            this.x = start.copy();
            this.s = Batch.zeros(start.size(), start.dim());
            this.firstParticle = firstParticle;
            this.n = start.size();
            this.d = start.dim();
            this.recordIndex = new int[recordTimes.length];
            for (int r = 0; r < recordTimes.length; r++) {
                recordIndex[r] = grid.nearest(recordTimes[r]);
            }
            this.recorded = new boolean[recordTimes.length];
            this.requested = recordTimes.clone();
        }

        /** s ← s(x, t); counts one function evaluation. */
        void evalScore(Batch at, double t, Batch out) {
            score.score(at, t, out);
            nfe++;
        }

        /** Records a snapshot at time t for every recording time equal to t (adaptive solvers land on them). */
        void recordAtTime(double t) {
            for (int r = 0; r < recordIndex.length; r++) {
                if (!recorded[r] && Math.abs(requested[r] - t) <= 1e-12 * Math.max(1, Math.abs(t))) {
                    recorded[r] = true;
                    trajectory.add(new Snapshot(t, x.copy()));
                }
            }
        }

        /** Records a snapshot if grid index k was asked for. */
        void maybeRecord(int k) {
            for (int r = 0; r < recordIndex.length; r++) {
                if (!recorded[r] && recordIndex[r] == k) {
                    recorded[r] = true;
                    trajectory.add(new Snapshot(grid.time(k), x.copy()));
                }
            }
        }
    }

    @Override
    public final SampleResult sample(ScoreModel score, Batch start, long firstParticle) {
        if (start.dim() != score.dim()) {
            throw new org.pdediff.core.InvalidInputException("start points have dimension " + start.dim()
                    + " but the score has dimension " + score.dim());
        }
        TimeGrid grid = opts.timeGrid(score.sde().T());
        Run run = new Run(score, start, firstParticle, grid, opts.recordTimes());
        if (this instanceof DormandPrinceSampler) {
            run.recordAtTime(grid.start());
        } else {
            run.maybeRecord(0);
        }
        int steps = integrate(run);
        boolean denoised = false;
        if (opts.finalDenoise()) {
            finalDenoise(run);
            denoised = true;
        }
        return new SampleResult(run.x, run.nfe, steps, rejected(), denoised, List.copyOf(run.trajectory));
    }

    /** Advances run.x over the grid; returns the number of accepted steps. */
    protected int integrate(Run run) {
        int K = run.grid.steps();
        for (int k = 0; k < K; k++) {
            step(run, k, k == K - 1);
            run.maybeRecord(k + 1);
            opts.listener().progress(k + 1, K, "t=" + fmt(run.grid.time(k + 1)));
        }
        return K;
    }

    /** One step from grid index k to k + 1. */
    protected abstract void step(Run run, int k, boolean last);

    /** Rejected steps (adaptive methods override). */
    protected int rejected() {
        return 0;
    }

    /** Tweedie's final step x ← (x + σ²(ε)s(x, ε))/α(ε). */
    private static void finalDenoise(Run run) {
        double t = run.grid.end();
        run.evalScore(run.x, t, run.s);
        double a = run.sde.alpha(t);
        double s2 = run.sde.sigma2(t);
        double[] x = run.x.data();
        double[] s = run.s.data();
        for (int k = 0; k < x.length; k++) {
            x[k] = (x[k] + s2 * s[k]) / a;
        }
    }

    /** Adds c·z to x where z are the standard normals of (stream, particle, counter base + j). */
    static void addNoise(Run run, RandomStream stream, long counterBase, double c) {
        double[] x = run.x.data();
        int d = run.d;
        for (int i = 0; i < run.n; i++) {
            long p = stream.particle(run.firstParticle + i);
            for (int j = 0; j < d; j++) {
                x[i * d + j] += c * RandomStream.normalAt(p, counterBase + j);
            }
        }
    }

    static String fmt(double t) {
        return String.format(java.util.Locale.ROOT, "%.4g", t);
    }

}
