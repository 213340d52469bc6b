package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.Sde;

/**
 * The reverse λ-family of a score (MATH.md M8), written once for every particle sampler and for the reverse
 * Fokker–Planck grid solver (M9). With f(x, t) = −a(t)x and reverse time τ = T − t, the family is
 * <pre>
 *   dX = u(X, t) dτ + √λ·g(t) dW̄,   u(x, t) = a(t)·x + ½(1 + λ)·g(t)²·s(x, t),
 * </pre>
 * i.e. the forward-time drift f − ½(1 + λ)g²s of M8 with its sign reversed. λ = 1 is the reverse SDE (M6), λ = 0 the
 * probability-flow ODE (M7), whose forward-time velocity is F = −u. Immutable and thread-safe when the score is.
 *
 * @param score  the score model (its SDE gives a(t) and g(t)²)
 * @param lambda λ ≥ 0
 */
public record ReverseDynamics(ScoreModel score, double lambda) {
    public ReverseDynamics {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new InvalidInputException("lambda must be >= 0, got " + lambda);
        }
    }

    /** The probability-flow ODE (λ = 0) of a score. */
    public static ReverseDynamics probabilityFlow(ScoreModel score) {
        return new ReverseDynamics(score, 0);
    }

    /** The reverse SDE (λ = 1) of a score. */
    public static ReverseDynamics reverseSde(ScoreModel score) {
        return new ReverseDynamics(score, 1);
    }

    public Sde sde() {
        return score.sde();
    }

    /** The drift rate a(t) (f = −a x). */
    public double driftRate(double t) {
        return score.sde().driftRate(t);
    }

    /** The score weight c(t) = ½(1 + λ)g(t)² of u. */
    public double scoreWeight(double t) {
        return 0.5 * (1 + lambda) * score.sde().g2(t);
    }

    /** The diffusion coefficient √λ·g(t) (0 for the probability-flow ODE). */
    public double diffusion(double t) {
        return Math.sqrt(lambda * score.sde().g2(t));
    }

    /** u ← a(t)·x + c(t)·s (element-wise, over flat arrays of equal length; {@code out} may be {@code s}). */
    public void velocity(double[] x, double[] s, double t, double[] out) {
        double a = driftRate(t);
        double c = scoreWeight(t);
        for (int q = 0; q < out.length; q++) {
            out[q] = a * x[q] + c * s[q];
        }
    }

    /** u(x, t) into {@code out} (modified; not x): one score evaluation. */
    public void velocity(Batch x, double t, Batch out) {
        score.score(x, t, out);
        velocity(x.data(), out.data(), t, out.data());
    }

    /**
     * The forward-time probability-flow velocity F = −u(x, t) of λ = 0 (MATH.md M7: dx/dt = f − ½g²s) into
     * {@code out} (modified; not x): one score evaluation. Only meaningful for λ = 0.
     */
    public void flowVelocity(Batch x, double t, Batch out) {
        velocity(x, t, out);
        double[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            o[q] = -o[q];
        }
    }
}
