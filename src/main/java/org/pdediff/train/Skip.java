package org.pdediff.train;

import org.pdediff.core.InvalidInputException;

/**
 * What the network's output is added to. {@link #NONE}: the score is the parameterised network output alone
 * (s = c_in·N, −N/σ or ∇ₓN, see {@link Parameterisation}). {@link #GAUSSIAN}: the score of the Gaussian that has the
 * data's mean μ and variance v ({@link Preconditioning}) — isotropic — pushed through the forward SDE, is added — the EDM
 * skip connection c_skip (Karras et al. 2022) written for scores (MATH.md §6):
 * <pre>  s(x, t) = s_G(x, t) + [network part],   s_G = −c_in(t)²(x − α(t)μ) = ∇ₓ q_G,
 *   q_G(x, t) = −½c_in²|x − αμ|² + d·ln c_in  (the log-density of N(αμ, (α²v + σ²)I), up to a constant),</pre>
 * and for potentials φ = q_G + N. N(αμ, (α²v + σ²)I) is exactly the law p_t of Gaussian data N(μ, vI), so q_G and
 * s_G solve the Fokker–Planck equations M4 and M5 exactly: the network only learns the departure from that Gaussian.
 *
 * <p>Why it matters: near T the score is almost exactly s_G (p_T ≈ N(0, I)), a full-rank linear map of x. Without
 * the skip the MLP must carry all d coordinates of x through its hidden layers; when the width is below d (an image
 * MLP, d = 784, width 512) it cannot, its score misses most of the restoring term −x/σ², and the reverse dynamics,
 * whose drift then grows like ½β(t)x, blow up by a factor of about 1/α(ε) (measured on Fashion-MNIST: sample norms
 * ≈ 3,700 against 23 for the data).
 *
 * <p>{@link #COVARIANCE}: the same with the data's covariance Σ̂ instead of vI ({@link Preconditioning#withCovariance}:
 * K leading eigenpairs and the mean ρ of the rest), s_G = −M(x − αμ) with M = (α²Σ̂ + σ²I)⁻¹ =
 * U diag(m_q)Uᵀ + r(I − UUᵀ), m_q = 1/(α²λ_q + σ²), r = 1/(α²ρ + σ²): a Wiener filter, which removes the noise in
 * the low-variance directions at small t — the full-rank part an MLP narrower than d cannot output either (measured
 * on held-out Fashion-MNIST at t = 0.1: σ²-weighted DSM 226 of 784 for the Wiener filter alone, 590 for the isotropic
 * Gaussian, 435 for an MLP with the isotropic skip). q_G = −½cᵀMc + ½ln det M, c = x − αμ.
 */
public enum Skip {
    NONE, GAUSSIAN, COVARIANCE;

    public String key() {
        return switch (this) {
            case NONE -> "none";
            case GAUSSIAN -> "gaussian";
            case COVARIANCE -> "covariance";
        };
    }

    public static Skip parse(String s) {
        for (Skip v : values()) {
            if (v.key().equalsIgnoreCase(s.strip())) {
                return v;
            }
        }
        throw new InvalidInputException("unknown skip '" + s + "' (known: none, gaussian, covariance)");
    }

    @Override
    public String toString() {
        return key();
    }
}
