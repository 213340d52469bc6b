package org.pdediff.sde;

/**
 * The SDEs of M1 without drift, ve and heat: f = 0 (a(t) = 0), so the mean scale is α(t) = 1 and X_t | x₀ ~
 * N(x₀, σ(t)²I) with σ(t)² = ∫₀ᵗ g²; p_t is the data law blurred by N(0, σ(t)²I) (MATH.md §2). The two differ only
 * in g² (hence σ²) and the prior.
 */
public sealed interface DriftlessSde extends Sde permits VeSde, HeatSde {
    @Override
    default double driftRate(double t) {
        return 0;
    }

    @Override
    default double alpha(double t) {
        return 1;
    }
}
