package org.pdediff.sde;

/**
 * Sub-VP SDE (M1, [S]): f = −½β(t)x, g² = β(t)(1 − e^{−2∫₀ᵗβ}) = β(1 − α⁴), α as for vp, σ² = (1 − α²)²,
 * prior N(0, I). The identity g² = dσ²/dt + βσ² (the variance equation of M3) holds exactly. The schedule is
 * {@link LinearBetaSde}'s.
 */
public record SubVpSde(double bmin, double bmax, double T) implements LinearBetaSde {
    public SubVpSde {
        LinearBetaSde.check("subvp", bmin, bmax, T);
    }

    public SubVpSde() {
        this(DEFAULT_BMIN, DEFAULT_BMAX, DEFAULT_T);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.SUBVP;
    }

    @Override
    public double g2(double t) {
        return -beta(t) * Math.expm1(-2 * integratedBeta(t));
    }

    @Override
    public double sigma2(double t) {
        double s = -Math.expm1(-integratedBeta(t));
        return s * s;
    }
}
