package org.pdediff.train;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/** Hidden-layer activation of the MLP: SiLU z·σ(z), or Softplus with sharpness β, (1/β) ln(1 + e^{βz}). */
public enum ActivationKind {
    SILU, SOFTPLUS;

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
