package org.pdediff.score;

import org.pdediff.core.Batch;

/** A score model whose marginal log-density log p_t(x) is known in closed form (its score is ∇ₓ log p_t). */
public interface WithLogDensity extends ScoreModel {
    /** Writes log p_t(x_i) into {@code out[i]} (modified). */
    void logDensity(Batch x, double t, double[] out);
}
