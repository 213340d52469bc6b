package org.pdediff.score;

import org.pdediff.core.Batch;

/**
 * A score model with its Jacobian ∇s in closed form (for Li–Yau diagnostics, M14, and Jacobian-probe likelihoods). Its
 * divergence is, unless the model has a cheaper form, the trace of the Jacobian.
 */
public interface WithJacobian extends WithDivergence {
    /** Writes the Jacobian ∂s_a/∂x_b of point i into {@code out[i·d² + a·d + b]} (modified). */
    void jacobian(Batch x, double t, double[] out);

    /** ∇·s = tr ∇s, from {@link #jacobian}. */
    @Override
    default void divergence(Batch x, double t, double[] out) {
        int d = dim();
        double[] jac = new double[x.size() * d * d];
        jacobian(x, t, jac);
        for (int n = 0; n < x.size(); n++) {
            double tr = 0;
            for (int a = 0; a < d; a++) {
                tr += jac[n * d * d + a * d + a];
            }
            out[n] = tr;
        }
    }
}
