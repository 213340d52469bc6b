package org.pdediff.sample;

import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.score.ScoreModel;

/**
 * Integrates the reverse dynamics of a score from T down to the stopping time ε. Implementations are stateless
 * (every run keeps its state to itself) and may be shared between threads.
 */
public interface Sampler {
    /**
     * Runs the sampler.
     *
     * @param score         the score model (its SDE gives f, g, α, σ)
     * @param start         particles at time T (not modified)
     * @param firstParticle global index of the first row: row i draws its noise from particle stream
     *                      {@code firstParticle + i}, so results do not depend on how particles are batched
     */
    default SampleResult sample(ScoreModel score, Batch start, long firstParticle) {
        return sample(score, start, firstParticle, List.of());
    }

    /**
     * Runs the sampler with extra step handlers (called after the built-in recorder, progress and finiteness
     * handlers, in order).
     *
     * @throws org.pdediff.core.NumericalFailureException if the particles become non-finite or blow up
     */
    SampleResult sample(ScoreModel score, Batch start, long firstParticle, List<StepHandler> handlers);
}
