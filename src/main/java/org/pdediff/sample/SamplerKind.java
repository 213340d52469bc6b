package org.pdediff.sample;

import org.pdediff.core.Keyed;
/** The samplers; the CLI names are the lower-case enum names. */
public enum SamplerKind implements Keyed {
    /** Reverse SDE (M6) by Euler–Maruyama, or any member of the λ-family (M8). */
    EM(true),
    /** Predictor–corrector: reverse-SDE Euler–Maruyama predictor with a Langevin corrector. */
    PC(true),
    /** DDPM ancestral sampling from the Gaussian posterior (M2). */
    DDPM(true),
    /** DDIM with parameter η (η = 0 deterministic, η = 1 equals DDPM). */
    DDIM(false),
    /** Probability-flow ODE (M7), explicit Euler (order 1). */
    EULER(false),
    /** Probability-flow ODE (M7), Heun's method (order 2). */
    HEUN(false),
    /** Probability-flow ODE (M7), classical Runge–Kutta (order 4). */
    RK4(false),
    /** Probability-flow ODE (M7), adaptive Dormand–Prince 5(4). */
    DP45(false),
    /** Probability-flow ODE (M7), adaptive Bogacki–Shampine 3(2): cheaper per step than dp45, for loose tolerances. */
    BS23(false);

    private final boolean stochastic;

    SamplerKind(boolean stochastic) {
        this.stochastic = stochastic;
    }

    /** Whether the sampler draws noise (DDIM is stochastic only for η &gt; 0). */
    public boolean stochastic() {
        return stochastic;
    }

    /** Parses a CLI name (case-insensitive). */
    public static SamplerKind parse(String name) {
        return Keyed.parse(SamplerKind.class, name, "sampler");
    }
}
