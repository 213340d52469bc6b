package org.pdediff.sample;

import org.pdediff.core.RandomStream;

/**
 * DDPM ancestral sampling (M2) and DDIM, written for any linear SDE of M1 through its Gaussian kernels. From t to
 * t' &lt; t let a = α_t/α_{t'} and v = σ_t² − a²σ_{t'}² (so X_t | X_{t'} ~ N(aX_{t'}, v)), and let
 * x̂₀ = (x + σ_t² s(x, t))/α_t be Tweedie's denoiser ({@link Tweedie}) and ε̂ = −σ_t s(x, t). Then
 * <ul>
 * <li><b>DDPM</b> samples the exact posterior q(x_{t'} | x_t, x̂₀): mean μ = (a σ_{t'}² x_t + α_{t'} v x̂₀)/σ_t²,
 * variance β̃ = σ_{t'}² v / σ_t². For vp with ᾱ = α² this is Ho et al.'s update with σ_k² = β̃_k, and with
 * x̂₀ replaced by one datum it is the exact bridge transition of C2.</li>
 * <li><b>DDIM</b> (Song, Meng &amp; Ermon 2021): x_{t'} = α_{t'}x̂₀ + √(σ_{t'}² − c²)·ε̂ + c·z with
 * c² = η²β̃. η = 0 is deterministic; η = 1 has the DDPM law.</li>
 * </ul>
 * Both stop at ε without a final noise-free jump to t = 0 (use the final-denoise option for Tweedie's step). Noise
 * from (seed, "sampler-noise", particle, k·d + j). Immutable.
 */
record PosteriorStep(boolean ddim, double eta, RandomStream noise, boolean noiselessLastStep) implements GridStep.Stateless {
    @Override
    public void step(Run run, int k, boolean last) {
        double t = run.grid.time(k);
        double tp = run.grid.time(k + 1);
        run.evalScore(run.x, t, run.s);
        double at = run.sde.alpha(t);
        double atp = run.sde.alpha(tp);
        double s2t = run.sde.sigma2(t);
        double s2tp = run.sde.sigma2(tp);
        double a = at / atp;
        double v = s2t - a * a * s2tp;
        double postVar = s2tp * v / s2t;
        double[] x = run.x.data();
        double[] s = run.s.data();
        double noiseStd;
        if (ddim) {
            double c2 = eta * eta * postVar;
            double keep = Math.sqrt(Math.max(0, s2tp - c2));
            double sigt = Math.sqrt(s2t);
            for (int q = 0; q < x.length; q++) {
                double x0 = Tweedie.x0(x[q], s[q], at, s2t);
                double epsHat = -sigt * s[q];
                x[q] = atp * x0 + keep * epsHat;
            }
            noiseStd = Math.sqrt(c2);
        } else {
            for (int q = 0; q < x.length; q++) {
                double x0 = Tweedie.x0(x[q], s[q], at, s2t);
                x[q] = (a * s2tp * x[q] + atp * v * x0) / s2t;
            }
            noiseStd = (last && noiselessLastStep) ? 0 : Math.sqrt(postVar);
        }
        if (noiseStd > 0) {
            run.addNoise(noise, (long) k * run.d, noiseStd);
        }
    }
}
