package org.pdediff.sample;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;

/** Creates samplers and runs them from the prior. */
public final class Samplers {
    private Samplers() {
    }

    /** The sampler that {@code opts.kind()} names (stateless: one instance may serve many runs and threads). */
    public static Sampler create(SamplingOptions opts) {
        RandomStream root = RandomStream.of(opts.seed());
        RandomStream noise = root.derive("sampler-noise");
        return switch (opts.kind()) {
            case EM -> ReverseSampler.onGrid(opts, new EulerMaruyamaStep(opts.lambda(), noise, opts.noiselessLastStep()));
            case PC -> ReverseSampler.onGrid(opts, new PredictorCorrectorStep(new EulerMaruyamaStep(1, noise,
                    opts.noiselessLastStep()), root.derive("corrector-noise"), opts.snr(), opts.correctorSteps(), opts.correctorFirst()));
            case DDPM -> ReverseSampler.onGrid(opts, new PosteriorStep(false, opts.eta(), noise, opts.noiselessLastStep()));
            case DDIM -> ReverseSampler.onGrid(opts, new PosteriorStep(true, opts.eta(), noise, opts.noiselessLastStep()));
            case EULER -> ReverseSampler.onGrid(opts, new RungeKuttaStep(ButcherTableau.EULER));
            case HEUN -> ReverseSampler.onGrid(opts, new RungeKuttaStep(ButcherTableau.HEUN));
            case RK4 -> ReverseSampler.onGrid(opts, new RungeKuttaStep(ButcherTableau.RK4));
            case DP45 -> ReverseSampler.adaptive(opts, ButcherTableau.DORMAND_PRINCE_54);
            case BS23 -> ReverseSampler.adaptive(opts, ButcherTableau.BOGACKI_SHAMPINE_32);
        };
    }

    /**
     * Prior points for particles {@code first .. first + n − 1}: N(0, priorVariance·I) from the seed's "prior"
     * stream, particle i using stream i (independent of batching).
     */
    public static Batch prior(ScoreModel score, long first, int n, long seed) {
        Batch b = Batch.zeros(n, score.dim());
        RandomStream.of(seed).derive("prior").fillNormal(b, first, 0);
        double sd = Math.sqrt(score.sde().priorVariance());
        double[] a = b.data();
        for (int k = 0; k < a.length; k++) {
            a[k] *= sd;
        }
        return b;
    }

    /**
     * Draws {@code n} samples from the prior through the sampler, {@code batchSize} particles at a time. For every
     * sampler but dp45 and bs23 (whose step sizes are chosen for the batch as a whole) the result is bit-identical for any
     * batch size. NFE and step counts are those of the largest batch (the same per particle).
     */
    public static SampleResult fromPrior(ScoreModel score, int n, SamplingOptions opts, int batchSize) {
        return fromPrior(score, n, opts, batchSize, 0, n);
    }

    /**
     * Particles {@code from .. to − 1} of an {@code n}-particle run (a {@link Shard}): the run's batches
     * {@code [k·batchSize, (k+1)·batchSize)} are cut to the range and sampled with their global particle indices, so
     * the rows are exactly those rows of {@link #fromPrior(ScoreModel, int, SamplingOptions, int) the full run} (for
     * dp45 and bs23 when {@code from} and {@code to} are batch boundaries). NFE and step counts are those of the
     * largest batch of the range, rejected steps their sum.
     */
    public static SampleResult fromPrior(ScoreModel score, int n, SamplingOptions opts, int batchSize, int from, int to) {
        if (n <= 0) {
            throw new org.pdediff.core.InvalidInputException("number of samples must be > 0, got " + n);
        }
        if (batchSize <= 0) {
            throw new org.pdediff.core.InvalidInputException("batch size must be > 0, got " + batchSize);
        }
        if (from < 0 || from >= to || to > n) {
            throw new org.pdediff.core.InvalidInputException("particle range [" + from + ", " + to + ") is empty or outside [0, " + n + ")");
        }
        int firstBatch = from / batchSize;
        int batches = (to - 1) / batchSize + 1 - firstBatch;
        int m = to - from;
        Batch out = Batch.zeros(m, score.dim());
        List<Snapshot> traj = new ArrayList<>();
        long nfe = 0;
        int steps = 0;
        int rejected = 0;
        boolean denoised = false;
        ProgressListener outer = opts.listener();
        for (int b = 0; b < batches; b++) {
            int lo = (int) Math.max(from, (long) (firstBatch + b) * batchSize);
            int hi = (int) Math.min(to, (long) (firstBatch + b + 1) * batchSize);
            final int bi = b;
            SamplingOptions o = batches == 1 ? opts : opts.withListener((done, total, msg) ->
                    outer.progress(bi * Math.max(total, 1) + done, (long) batches * Math.max(total, 1), msg));
            SampleResult r = create(o).sample(score, prior(score, lo, hi - lo, opts.seed()), lo);
            out.setRows(lo - from, r.samples());
            nfe = Math.max(nfe, r.nfe());
            steps = Math.max(steps, r.steps());
            rejected += r.rejected();
            denoised = r.denoised();
            if (b == 0) {
                for (Snapshot s : r.trajectory()) {
                    traj.add(new Snapshot(s.t(), Batch.zeros(m, score.dim())));
                }
            }
            for (int k = 0; k < r.trajectory().size() && k < traj.size(); k++) {
                traj.get(k).x().setRows(lo - from, r.trajectory().get(k).x());
            }
        }
        return new SampleResult(out, nfe, steps, rejected, denoised, List.copyOf(traj));
    }
}
