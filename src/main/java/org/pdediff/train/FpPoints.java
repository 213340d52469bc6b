package org.pdediff.train;

import org.pdediff.core.Keyed;

/**
 * Where the FP residual is penalised: at perturbed data points x = αx₀ + σε (P4), or at points uniform in a box
 * (P3's PINN collocation points); in both cases t is uniform on [fp t-min, T].
 */
public enum FpPoints implements Keyed {
    PERTURBED, UNIFORM;

    public static FpPoints parse(String s) {
        return Keyed.parse(FpPoints.class, s, "FP point law");
    }
}
