package org.pdediff.sde;

/**
 * Sub-VP SDE (M1, [S]): f = −½β(t)x, g² = β(t)(1 − e^{−2∫₀ᵗβ}) = β(1 − α⁴), α as for vp, σ² = (1 − α²)²,
 * prior N(0, I). The identity g² = dσ²/dt + βσ² (the variance equation of M3) holds exactly.
 */
public record SubVpSde(double bmin, double bmax, double T) implements Sde {
    public SubVpSde {
        Sdes.check(bmin >= 0 && bmax >= bmin && bmax > 0, "subvp: need 0 <= bmin <= bmax, bmax > 0");
        Sdes.check(T > 0, "subvp: T must be > 0");
    }

    public SubVpSde() {
        this(0.1, 20, 1);
    }

    public double beta(double t) {
        return bmin + t * (bmax - bmin);
    }

    private double integratedBeta(double t) {
        return t * bmin + 0.5 * t * t * (bmax - bmin);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.SUBVP;
    }

    @Override
    public double driftRate(double t) {
        return 0.5 * beta(t);
    }

    @Override
    public double g2(double t) {
        return -beta(t) * Math.expm1(-2 * integratedBeta(t));
    }

    @Override
    public double alpha(double t) {
        return Math.exp(-0.5 * integratedBeta(t));
    }

    @Override
    public double sigma2(double t) {
        double s = -Math.expm1(-integratedBeta(t));
        return s * s;
    }

    @Override
    public double priorVariance() {
        return 1;
    }

    @Override
    public String spec() {
        return "subvp:bmin=" + Sdes.fmt(bmin) + ",bmax=" + Sdes.fmt(bmax) + ",T=" + Sdes.fmt(T);
    }
}
