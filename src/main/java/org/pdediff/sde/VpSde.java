package org.pdediff.sde;

/**
 * Variance-preserving SDE (M1, [S]): f = −½β(t)x, g = √β(t), β(t) = β₀ + t(β₁ − β₀),
 * α(t) = exp(−¼t²(β₁−β₀) − ½tβ₀), σ² = 1 − α², prior N(0, I). Defaults β₀ = 0.1, β₁ = 20, T = 1. The schedule is
 * {@link LinearBetaSde}'s.
 */
public record VpSde(double bmin, double bmax, double T) implements LinearBetaSde {
    public VpSde {
        LinearBetaSde.check("vp", bmin, bmax, T);
    }

    public VpSde() {
        this(DEFAULT_BMIN, DEFAULT_BMAX, DEFAULT_T);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.VP;
    }

    @Override
    public double g2(double t) {
        return beta(t);
    }

    @Override
    public double sigma2(double t) {
        return -Math.expm1(-integratedBeta(t));
    }
}
