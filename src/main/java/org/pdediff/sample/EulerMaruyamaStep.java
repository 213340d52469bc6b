package org.pdediff.sample;

import org.pdediff.core.RandomStream;
import org.pdediff.score.ReverseDynamics;

/**
 * Euler–Maruyama for the reverse λ-family (M8) of {@link ReverseDynamics}, from t_k to t_{k+1} = t_k − h:
 * <pre>
 *   x ← x + h·u(x, t_k) + √(λh)·g(t_k)·z,   u = a x + ½(1 + λ)g² s,   z ~ N(0, I) from (seed, "sampler-noise", particle, k·d + j).
 * </pre>
 * λ = 1 is the reverse SDE (M6, [S]); λ = 0 is the probability-flow ODE (M7) by explicit Euler. Weak order 1.
 * With {@code noiselessLastStep} the last step omits the noise term (P3's last SDE step; score_sde's "x_mean").
 * Also the predictor of {@link PredictorCorrectorStep}. Immutable.
 */
record EulerMaruyamaStep(double lambda, RandomStream noise, boolean noiselessLastStep) implements GridStep.Stateless {
    @Override
    public void step(Run run, int k, boolean last) {
        double t = run.grid.time(k);
        double h = run.grid.step(k);
        ReverseDynamics dyn = new ReverseDynamics(run.score, lambda);
        run.evalScore(run.x, t, run.s);
        double[] x = run.x.data();
        double[] u = run.s.data();
        dyn.velocity(x, u, t, u);
        for (int q = 0; q < x.length; q++) {
            x[q] += h * u[q];
        }
        if (lambda > 0 && !(last && noiselessLastStep)) {
            run.addNoise(noise, (long) k * run.d, Math.sqrt(lambda * h * run.sde.g2(t)));
        }
    }
}
