package org.pdediff.sample;

import org.pdediff.core.RandomStream;

/**
 * Euler–Maruyama for the reverse λ-family (M8), backwards from t_k to t_{k+1} = t_k − h:
 * <pre>
 *   x ← x − h·[f(x, t_k) − ½(1 + λ) g(t_k)² s(x, t_k)] + √(λh)·g(t_k)·z,   z ~ N(0, I).
 * </pre>
 * λ = 1 is the reverse SDE (M6, [S]); λ = 0 is the probability-flow ODE (M7) by explicit Euler. Weak order 1.
 * With {@code noiselessLastStep} the last step omits the noise term (P3's last SDE step; score_sde's "x_mean").
 */
final class LambdaFamilySampler extends AbstractSampler {
    private final RandomStream noise;

    LambdaFamilySampler(SamplingOptions opts) {
        super(opts);
        this.noise = RandomStream.of(opts.seed()).derive("sampler-noise");
    }

    @Override
    protected void step(Run run, int k, boolean last) {
        step(run, k, opts.lambda(), noise, last && opts.noiselessLastStep());
    }

    /** One Euler–Maruyama step of the λ-family from grid index k (shared with the predictor of PC). */
    static void step(Run run, int k, double lambda, RandomStream noise, boolean noiseless) {
        double t = run.grid.time(k);
        double h = run.grid.step(k);
        run.evalScore(run.x, t, run.s);
        double a = run.sde.driftRate(t);
        double g2 = run.sde.g2(t);
        double c = 0.5 * (1 + lambda) * g2;
        double[] x = run.x.data();
        double[] s = run.s.data();
        for (int q = 0; q < x.length; q++) {
            // drift f = −a x; x ← x − h (f − c s)
            x[q] += h * (a * x[q] + c * s[q]);
        }
        if (lambda > 0 && !noiseless) {
            addNoise(run, noise, (long) k * run.d, Math.sqrt(lambda * h * g2));
        }
    }
}
