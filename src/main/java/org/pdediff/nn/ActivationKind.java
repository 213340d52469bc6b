package org.pdediff.nn;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/** Hidden-layer activation of the MLP: SiLU z·σ(z), or Softplus with sharpness β, (1/β) ln(1 + e^{βz}). */
public enum ActivationKind {
    SILU, SOFTPLUS;

    /**
     * Largest |argument| of an exponential in the activations: e^{−80} ≈ 1.8e-35 is still a normal float, so no
     * subnormal number is ever produced (their handling depends on the CPU's flush-to-zero state). The clamp changes
     * the activations by at most e^{−80}.
     */
    public static final double CLAMP = 80;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActivationKind parse(String s) {
        for (ActivationKind a : values()) {
            if (a.key().equalsIgnoreCase(s.strip())) {
                return a;
            }
        }
        throw new InvalidInputException("unknown activation '" + s + "' (known: silu, softplus)");
    }
}
