package org.pdediff.sde;

import org.pdediff.core.InvalidInputException;

/**
 * The DDPM discretisation of vp with K steps (M2): β_k = β(t_k)/K·T at t_k = kT/K (k = 1..K), ᾱ_k = Π_{i≤k}(1 − β_i),
 * x_k = √(1 − β_k) x_{k−1} + √β_k z. As K → ∞, ᾱ_k → α(t_k)². (score_sde's linspace(β₀/K, β₁/K, K) differs only
 * in placing t_k on [0, T] instead of (0, T].) Index 0 is the data: ᾱ_0 = 1.
 */
public final class DdpmSchedule {
    private final double[] beta;
    private final double[] alphaBar;
    private final double[] times;

    public DdpmSchedule(VpSde sde, int steps) {
        if (steps <= 0) {
            throw new InvalidInputException("DDPM steps must be > 0, got " + steps);
        }
        beta = new double[steps + 1];
        alphaBar = new double[steps + 1];
        times = new double[steps + 1];
        alphaBar[0] = 1;
        double dt = sde.T() / steps;
        for (int k = 1; k <= steps; k++) {
            times[k] = k * dt;
            beta[k] = sde.beta(times[k]) * dt;
            if (beta[k] >= 1) {
                throw new InvalidInputException("DDPM with " + steps + " steps has β_k >= 1; use more steps");
            }
            alphaBar[k] = alphaBar[k - 1] * (1 - beta[k]);
        }
    }

    public int steps() {
        return beta.length - 1;
    }

    /** β_k, k = 1..K. */
    public double beta(int k) {
        return beta[k];
    }

    /** ᾱ_k, k = 0..K. */
    public double alphaBar(int k) {
        return alphaBar[k];
    }

    /** t_k = kT/K. */
    public double time(int k) {
        return times[k];
    }
}
