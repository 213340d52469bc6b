package org.pdediff.sample;

/**
 * Tweedie's denoiser, written once (MATH.md §4): x̂₀ = E[X₀ | X_t = x] = (x + σ(t)²·s(x, t))/α(t). Used by the final
 * denoising step and by the DDPM/DDIM posteriors.
 */
final class Tweedie {
    private Tweedie() {
    }

    /** x̂₀ of one coordinate. */
    static double x0(double x, double s, double alpha, double sigma2) {
        return (x + sigma2 * s) / alpha;
    }

    /** x ← x̂₀ element-wise (x modified). */
    static void denoiseInPlace(double[] x, double[] s, double alpha, double sigma2) {
        for (int q = 0; q < x.length; q++) {
            x[q] = x0(x[q], s[q], alpha, sigma2);
        }
    }
}
