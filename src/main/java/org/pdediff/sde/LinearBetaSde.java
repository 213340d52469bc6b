package org.pdediff.sde;

/**
 * The linear noise schedule β(t) = β₀ + t(β₁ − β₀) shared by vp and sub-vp (M1, [S]): drift f = −½β(t)x, the signal
 * factor α(t) = exp(−½∫₀ᵗβ) with ∫₀ᵗβ = tβ₀ + ½t²(β₁ − β₀), and the prior N(0, I). The two differ only in g² and σ².
 */
public sealed interface LinearBetaSde extends Sde permits VpSde, SubVpSde {
    /** The default β₀ of vp and sub-vp (score_sde). */
    double DEFAULT_BMIN = 0.1;
    /** The default β₁ of vp and sub-vp (score_sde). */
    double DEFAULT_BMAX = 20;
    /** The default horizon T of vp and sub-vp. */
    double DEFAULT_T = 1;

    /** β₀ = β(0). */
    double bmin();

    /** β₁ = β(1). */
    double bmax();

    /** β(t). */
    default double beta(double t) {
        return bmin() + t * (bmax() - bmin());
    }

    /** ∫₀ᵗ β = t β₀ + ½t²(β₁ − β₀). */
    default double integratedBeta(double t) {
        return t * bmin() + 0.5 * t * t * (bmax() - bmin());
    }

    @Override
    default double driftRate(double t) {
        return 0.5 * beta(t);
    }

    @Override
    default double alpha(double t) {
        return Math.exp(-0.5 * integratedBeta(t));
    }

    @Override
    default double priorVariance() {
        return 1;
    }

    @Override
    default String spec() {
        return kind().name().toLowerCase(java.util.Locale.ROOT) + ":bmin=" + Sdes.fmt(bmin()) + ",bmax="
                + Sdes.fmt(bmax()) + ",T=" + Sdes.fmt(T());
    }

    /** The constructor checks of both, with the spec name in the message. */
    static void check(String name, double bmin, double bmax, double T) {
        Sdes.check(bmin >= 0 && bmax >= bmin && bmax > 0, name + ": need 0 <= bmin <= bmax, bmax > 0");
        Sdes.check(T > 0, name + ": T must be > 0");
    }
}
