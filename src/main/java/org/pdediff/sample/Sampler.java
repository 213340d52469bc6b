package org.pdediff.sample;

import org.pdediff.core.Batch;
import org.pdediff.score.ScoreModel;

/** Integrates the reverse dynamics of a score from T down to the stopping time ε. */
public interface Sampler {
    /**
     * Runs the sampler.
     *
     * @param score         the score model (its SDE gives f, g, α, σ)
     * @param start         particles at time T (not modified)
     * @param firstParticle global index of the first row: row i draws its noise from particle stream
     *                      {@code firstParticle + i}, so results do not depend on how particles are batched
     */
    SampleResult sample(ScoreModel score, Batch start, long firstParticle);
}
