package org.pdediff.train;

import org.pdediff.core.Keyed;
import org.pdediff.sde.Sde;

/**
 * Time weighting λ(t) of the denoising loss and of the FP penalty: σ(t)² (the default of [S], which makes the
 * σ²-weighted DSM loss E|σ s_θ + ε|² O(1) at every t), g(t)² (likelihood weighting [S], P4), or 1 (P3).
 */
public enum Weighting implements Keyed {
    SIGMA2, G2, ONE;

    public double at(Sde sde, double t) {
        return switch (this) {
            case SIGMA2 -> sde.sigma2(t);
            case G2 -> sde.g2(t);
            case ONE -> 1;
        };
    }

    public static Weighting parse(String s) {
        return Keyed.parse(Weighting.class, s, "weighting");
    }
}
