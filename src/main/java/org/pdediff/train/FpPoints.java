package org.pdediff.train;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/**
 * Where the FP residual is penalised: at perturbed data points x = αx₀ + σε (P4), or at points uniform in a box
 * (P3's PINN collocation points); in both cases t is uniform on [fp t-min, T].
 */
public enum FpPoints {
    PERTURBED, UNIFORM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FpPoints parse(String s) {
        for (FpPoints w : values()) {
            if (w.key().equalsIgnoreCase(s.strip())) {
                return w;
            }
        }
        throw new InvalidInputException("unknown FP point law '" + s + "' (known: perturbed, uniform)");
    }
}
