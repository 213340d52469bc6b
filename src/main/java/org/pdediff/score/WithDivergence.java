package org.pdediff.score;

import org.pdediff.core.Batch;

/** A score model with its divergence ∇·s in closed form (for exact likelihoods, M12). */
public interface WithDivergence extends ScoreModel {
    /** Writes ∇·s(x_i, t) into {@code out[i]} (modified). */
    void divergence(Batch x, double t, double[] out);
}
