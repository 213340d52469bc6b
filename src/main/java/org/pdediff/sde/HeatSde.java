package org.pdediff.sde;

/**
 * The heat flow (M1, P1): f = 0, g = √2, α = 1, σ² = 2t, so p_t = data ∗ N(0, 2tI) solves ∂_t p = Δp. The prior
 * N(0, 2T I) is the broad Gaussian of P1 (an approximation of p_T that improves as T grows). Default T = 2.
 */
public record HeatSde(double T) implements DriftlessSde {
    public HeatSde {
        Sdes.check(T > 0, "heat: T must be > 0");
    }

    public HeatSde() {
        this(2);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.HEAT;
    }

    @Override
    public double g2(double t) {
        return 2;
    }

    @Override
    public double sigma2(double t) {
        return 2 * t;
    }

    @Override
    public double priorVariance() {
        return 2 * T;
    }

    @Override
    public String spec() {
        return "heat:T=" + Sdes.fmt(T);
    }
}
