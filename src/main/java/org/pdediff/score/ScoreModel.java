package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.sde.Sde;

/**
 * A batched score s(x, t) ≈ ∇ₓ log p_t(x) of the marginals of a forward {@link Sde}.
 *
 * <p>Implementations must be safe to call from several threads at once on different batches. Optional capabilities are
 * separate interfaces, asked for with {@code instanceof}: {@link WithDivergence} (the divergence ∇·s in closed form, for
 * likelihoods) and {@link WithJacobian} (the full Jacobian ∇s, for Li–Yau diagnostics; every such model has a
 * divergence, by default its trace). {@link ScoreDiagnostics} falls back to central differences for models without.
 */
public interface ScoreModel {
    /** The SDE whose marginals this score belongs to. */
    Sde sde();

    /** The dimension d this score accepts. */
    int dim();

    /**
     * Writes s(x, t) into {@code out} (modified; same shape as x; must not be x). {@code x} is not modified.
     */
    void score(Batch x, double t, Batch out);

    /** A new batch holding s(x, t). */
    default Batch score(Batch x, double t) {
        Batch out = Batch.zeros(x.size(), x.dim());
        score(x, t, out);
        return out;
    }

    /** Tweedie's denoiser ⟨X₀ | X_t = x⟩ = (x + σ²s)/α (MATH.md §4), into {@code out} (modified). */
    default void denoise(Batch x, double t, Batch out) {
        score(x, t, out);
        double a = sde().alpha(t);
        double s2 = sde().sigma2(t);
        double[] xi = x.data();
        double[] o = out.data();
        for (int k = 0; k < o.length; k++) {
            o[k] = (xi[k] + s2 * o[k]) / a;
        }
    }

    /** A short description, e.g. {@code exact(N=2000)}. */
    String describe();
}
