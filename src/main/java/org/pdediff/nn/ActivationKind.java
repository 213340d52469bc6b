package org.pdediff.nn;

import org.pdediff.core.Keyed;

/** Hidden-layer activation of the MLP: SiLU z·σ(z), or Softplus with sharpness β, (1/β) ln(1 + e^{βz}). */
public enum ActivationKind implements Keyed {
    SILU, SOFTPLUS;

    /**
     * Largest |argument| of an exponential in the activations: e^{−80} ≈ 1.8e-35 is still a normal float, so no
     * subnormal number is ever produced (their handling depends on the CPU's flush-to-zero state). The clamp changes
     * the activations by at most e^{−80}.
     */
    public static final double CLAMP = 80;

    public static ActivationKind parse(String s) {
        return Keyed.parse(ActivationKind.class, s, "activation");
    }
}
