package org.pdediff.sde;

/**
 * Variance-preserving SDE (M1, [S]): f = −½β(t)x, g = √β(t), β(t) = β₀ + t(β₁ − β₀),
 * α(t) = exp(−¼t²(β₁−β₀) − ½tβ₀), σ² = 1 − α², prior N(0, I). Defaults β₀ = 0.1, β₁ = 20, T = 1.
 */
public record VpSde(double bmin, double bmax, double T) implements Sde {
    public VpSde {
        Sdes.check(bmin >= 0 && bmax >= bmin && bmax > 0, "vp: need 0 <= bmin <= bmax, bmax > 0");
        Sdes.check(T > 0, "vp: T must be > 0");
    }

    public VpSde() {
        this(0.1, 20, 1);
    }

    /** β(t). */
    public double beta(double t) {
        return bmin + t * (bmax - bmin);
    }

    /** ∫₀ᵗ β = t β₀ + ½t²(β₁ − β₀). */
    public double integratedBeta(double t) {
        return t * bmin + 0.5 * t * t * (bmax - bmin);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.VP;
    }

    @Override
    public double driftRate(double t) {
        return 0.5 * beta(t);
    }

    @Override
    public double g2(double t) {
        return beta(t);
    }

    @Override
    public double alpha(double t) {
        return Math.exp(-0.5 * integratedBeta(t));
    }

    @Override
    public double sigma2(double t) {
        return -Math.expm1(-integratedBeta(t));
    }

    @Override
    public double priorVariance() {
        return 1;
    }

    @Override
    public String spec() {
        return "vp:bmin=" + Sdes.fmt(bmin) + ",bmax=" + Sdes.fmt(bmax) + ",T=" + Sdes.fmt(T);
    }
}
