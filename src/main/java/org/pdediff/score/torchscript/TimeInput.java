package org.pdediff.score.torchscript;

import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Keyed;
import org.pdediff.sde.Sde;

/**
 * The time variable τ a foreign network takes as its second input (the {@code time} key): the SDE time t, the noise
 * level σ(t) or log σ(t) of the transition kernel of {@code --sde} (MATH.md M1).
 *
 * <p>Chain rule for ∂_t: dσ/dt = (g² − 2aσ²)/(2σ), since every SDE of M1 has Var' = −2a·Var + g² for its kernel
 * variance σ² (checked for vp, subvp, ve, ou and heat in the tests); d log σ/dt = (g² − 2aσ²)/(2σ²).
 */
public enum TimeInput implements Keyed {
    T, SIGMA, LOG_SIGMA;

    /** τ(t). */
    public double value(Sde sde, double t) {
        return switch (this) {
            case T -> t;
            case SIGMA -> sde.sigma(t);
            case LOG_SIGMA -> 0.5 * Math.log(sde.sigma2(t));
        };
    }

    /** dτ/dt. */
    public double derivative(Sde sde, double t) {
        return switch (this) {
            case T -> 1;
            case SIGMA -> sigmaRate(sde, t) * sde.sigma(t);
            case LOG_SIGMA -> sigmaRate(sde, t);
        };
    }

    /** (dσ/dt)/σ = (g² − 2aσ²)/(2σ²). */
    static double sigmaRate(Sde sde, double t) {
        double s2 = sde.sigma2(t);
        return (sde.g2(t) - 2 * sde.driftRate(t) * s2) / (2 * s2);
    }

    static TimeInput parse(String s) {
        TimeInput o = Keyed.find(TimeInput.class, s);
        if (o != null) {
            return o;
        }
        throw new InvalidInputException("torchscript: time must be t, sigma or log_sigma, got '" + s + "'");
    }
}
