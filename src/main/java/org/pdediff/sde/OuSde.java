package org.pdediff.sde;

/**
 * Ornstein–Uhlenbeck SDE (M1): f = −θx, constant g, α = e^{−θt}, σ² = g²(1 − e^{−2θt})/(2θ), prior the stationary
 * law N(0, g²/(2θ) I). Defaults θ = 1, g = √2 (P2: stationary N(0, I)), T = 5. P3 uses θ = 1, g = 1, T = 10.
 */
public record OuSde(double theta, double gConst, double T) implements Sde {
    public OuSde {
        Sdes.check(theta > 0, "ou: theta must be > 0");
        Sdes.check(gConst > 0, "ou: g must be > 0");
        Sdes.check(T > 0, "ou: T must be > 0");
    }

    public OuSde() {
        this(1, Math.sqrt(2), 5);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.OU;
    }

    @Override
    public double driftRate(double t) {
        return theta;
    }

    @Override
    public double g2(double t) {
        return gConst * gConst;
    }

    @Override
    public double alpha(double t) {
        return Math.exp(-theta * t);
    }

    @Override
    public double sigma2(double t) {
        return -gConst * gConst * Math.expm1(-2 * theta * t) / (2 * theta);
    }

    @Override
    public double priorVariance() {
        return gConst * gConst / (2 * theta);
    }

    @Override
    public String spec() {
        return "ou:theta=" + Sdes.fmt(theta) + ",g=" + Sdes.fmt(gConst) + ",T=" + Sdes.fmt(T);
    }
}
