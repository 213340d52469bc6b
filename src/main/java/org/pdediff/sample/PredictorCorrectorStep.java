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
 * mass, ‖z‖² ≈ d and ‖s‖² ≈ d/σ², which is the annealed-Langevin step ε ∝ σ² of Song &amp; Ermon (2019). Noise from
 * (seed, "corrector-noise", particle, (k·M + m)·d + j).</li>
 * <li>Predictor: one reverse-SDE Euler–Maruyama step (M6), {@link EulerMaruyamaStep} with λ = 1.</li>
 * </ul>
 * Each corrector step is one score evaluation. Immutable.
 */
record PredictorCorrectorStep(EulerMaruyamaStep predictor, RandomStream correctorNoise, double snr, int correctorSteps,
                              boolean correctorFirst) implements GridStep.Stateless {
    @Override
    public void step(Run run, int k, boolean last) {
        if (correctorFirst) {
            correct(run, k, run.grid.time(k));
            predictor.step(run, k, last);
        } else {
            predictor.step(run, k, last);
            correct(run, k, run.grid.time(k + 1));
        }
    }

    private void correct(Run run, int k, double t) {
        int d = run.d;
        double r = switch (run.sde.kind()) {
            case VP, SUBVP -> Math.max(0, 1 - 2 * run.sde.driftRate(t) * run.grid.step(Math.min(k, run.grid.steps() - 1)));
            default -> 1;
        };
        double e = 2 * r * snr * snr * run.sde.sigma2(t);
        double c = Math.sqrt(2 * e);
        double[] x = run.x.data();
        double[] s = run.s.data();
        for (int m = 0; m < correctorSteps; m++) {
            run.evalScore(run.x, t, run.s);
            long base = ((long) k * correctorSteps + m) * d;
            for (int i = 0; i < run.n; i++) {
                long p = correctorNoise.particle(run.firstParticle + i);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += e * s[i * d + j] + c * RandomStream.normalAt(p, base + j);
                }
            }
        }
    }
}
