package org.pdediff.sample;

import org.pdediff.core.RandomStream;

/**
 * Predictor–corrector sampling ([S], Algorithms 2–3). At each grid time t_k, by default the <b>corrector runs
 * first</b> and then the predictor (the order of score_sde's code; {@code correctorFirst=false} reverses it):
 * <ul>
 * <li>Corrector (Langevin, M steps): x ← x + ε s(x, t) + √(2ε) z with ε = 2·r·snr²·σ(t)², where r = 1 − β(t)h
 * for vp/subvp (score_sde's {@code alpha = 1 − β_k} of the discrete chain) and r = 1 otherwise. score_sde uses
 * ε = 2r(snr·‖z‖/‖s‖)² with norms averaged over the batch, which makes every sample depend on its batch; taken per
 * particle that rule explodes where ‖s‖ → 0 (at modes). We use the batch-free value of the same rule for a point
 * mass, ‖z‖² ≈ d and ‖s‖² ≈ d/σ², which is the annealed-Langevin step ε ∝ σ² of Song &amp; Ermon (2019).</li>
 * <li>Predictor: one reverse-SDE Euler–Maruyama step (M6), as {@link LambdaFamilySampler} with λ = 1.</li>
 * </ul>
 * Each corrector step is one score evaluation.
 */
final class PredictorCorrectorSampler extends AbstractSampler {
    private final RandomStream predictorNoise;
    private final RandomStream correctorNoise;

    PredictorCorrectorSampler(SamplingOptions opts) {
        super(opts);
        RandomStream root = RandomStream.of(opts.seed());
        this.predictorNoise = root.derive("sampler-noise");
        this.correctorNoise = root.derive("corrector-noise");
    }

    @Override
    protected void step(Run run, int k, boolean last) {
        if (opts.correctorFirst()) {
            correct(run, k, run.grid.time(k));
            predict(run, k, last);
        } else {
            predict(run, k, last);
            correct(run, k, run.grid.time(k + 1));
        }
    }

    private void predict(Run run, int k, boolean last) {
        LambdaFamilySampler.step(run, k, 1, predictorNoise, last && opts.noiselessLastStep());
    }

    private void correct(Run run, int k, double t) {
        int d = run.d;
        double r = switch (run.sde.kind()) {
            case VP, SUBVP -> Math.max(0, 1 - 2 * run.sde.driftRate(t) * run.grid.step(Math.min(k, run.grid.steps() - 1)));
            default -> 1;
        };
        double e = 2 * r * opts.snr() * opts.snr() * run.sde.sigma2(t);
        double c = Math.sqrt(2 * e);
        double[] x = run.x.data();
        double[] s = run.s.data();
        for (int m = 0; m < opts.correctorSteps(); m++) {
            run.evalScore(run.x, t, run.s);
            long base = ((long) k * opts.correctorSteps() + m) * d;
            for (int i = 0; i < run.n; i++) {
                long p = correctorNoise.particle(run.firstParticle + i);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += e * s[i * d + j] + c * RandomStream.normalAt(p, base + j);
                }
            }
        }
    }

}
