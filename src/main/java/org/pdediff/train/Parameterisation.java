package org.pdediff.train;

import org.pdediff.core.Keyed;

/**
 * What the network outputs and how the score s(x, t) is read from it. With u = c_in(t)(x − α(t)μ) the
 * preconditioned input (see {@link Preconditioning}) and N(u, t) the network:
 * <ul>
 *   <li>{@link #SCORE}: s = c_in(t)·N(u, t) — the score directly, scaled by the score scale of the Gaussian that
 *       has the data's mean and variance (so that N is O(1) for every t);</li>
 *   <li>{@link #NOISE}: ε-prediction, s = −N(u, t)/σ(t) (Tweedie, MATH.md §4);</li>
 *   <li>{@link #POTENTIAL}: a scalar log-density potential φ(t, x) = N(u, t) with s = ∇ₓφ = c_in ∂N/∂u, conservative by
 *       construction (P3). The x-gradient is a hand-written vector–Jacobian product of the MLP built from ordinary
 *       tensor operations, so training needs first-order autograd only (see ../shared/notes/djl.md).</li>
 * </ul>
 */
public enum Parameterisation implements Keyed {
    SCORE, NOISE, POTENTIAL;

    /** Output width of the network for data dimension d. */
    public int outputs(int d) {
        return this == POTENTIAL ? 1 : d;
    }

    public static Parameterisation parse(String s) {
        return Keyed.parse(Parameterisation.class, s, "parameterisation");
    }
}
