package org.pdediff.sde;

/**
 * Variance-exploding SDE (M1, [S]): f = 0, g(t) = σ_min r^t √(2 ln r) with r = σ_max/σ_min, α = 1 and the
 * <em>exact</em> kernel variance σ(t)² = ∫₀ᵗ g² = σ_min²(r^{2t} − 1), so that σ(0) = 0 and the closed-form marginals
 * solve the Fokker–Planck equation M3 exactly (score_sde uses σ_min²r^{2t}, which assumes the data were already
 * blurred by σ_min). Prior N(0, σ_max²I). Defaults σ_min = 0.01, σ_max = 50, T = 1.
 */
public record VeSde(double smin, double smax, double T) implements DriftlessSde {
    public VeSde {
        Sdes.check(smin > 0 && smax > smin, "ve: need 0 < smin < smax");
        Sdes.check(T > 0, "ve: T must be > 0");
    }

    public VeSde() {
        this(0.01, 50, 1);
    }

    private double logRatio() {
        return Math.log(smax / smin) / T;
    }

    @Override
    public SdeKind kind() {
        return SdeKind.VE;
    }

    @Override
    public double g2(double t) {
        double lr = logRatio();
        return smin * smin * Math.exp(2 * t * lr) * 2 * lr;
    }

    @Override
    public double sigma2(double t) {
        return smin * smin * Math.expm1(2 * t * logRatio());
    }

    @Override
    public double priorVariance() {
        return smax * smax;
    }

    @Override
    public String spec() {
        return "ve:smin=" + Sdes.fmt(smin) + ",smax=" + Sdes.fmt(smax) + ",T=" + Sdes.fmt(T);
    }
}
