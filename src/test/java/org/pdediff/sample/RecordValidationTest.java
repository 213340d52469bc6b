package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.metrics.GroundCost;
import org.pdediff.metrics.Sinkhorn;

/** The option records validate themselves: a value built without its builder is refused in one line, like the builder's. */
class RecordValidationTest {
    @Test
    void samplingOptionsRefuseBadKnobsOnDirectConstruction() {
        assertThatThrownBy(() -> new SamplingOptions(SamplerKind.EM, GridKind.UNIFORM, 0, 1e-3, 0, 1, 0.16, 1, true, 0, 1e-5,
                1e-5, 1000, false, false, new double[0], ProgressListener.NONE, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("steps must be > 0");
        assertThatThrownBy(() -> new SamplingOptions(SamplerKind.DP45, GridKind.UNIFORM, 10, 1e-3, 0, 1, 0.16, 1, true, 0, 0,
                1e-5, 1000, false, false, new double[0], ProgressListener.NONE, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("rtol and atol");
        assertThatThrownBy(() -> SamplingOptions.builder().eta(2).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("eta");
    }

    @Test
    void likelihoodAndSinkhornRefuseBadSettingsOnDirectConstruction() {
        assertThatThrownBy(() -> new Likelihood(1e-3, TraceEstimator.hutchinson(1), 1e-5, 1e-5, ButcherTableau.HEUN, 1000, 0,
                ProgressListener.NONE, Likelihood.ErrorControl.PER_POINT))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("adaptive pair");
        assertThatThrownBy(() -> new Likelihood(0, TraceEstimator.hutchinson(1), 1e-5, 1e-5, ButcherTableau.DORMAND_PRINCE_54,
                1000, 0, ProgressListener.NONE, Likelihood.ErrorControl.PER_POINT))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("eps");
        assertThatThrownBy(() -> new Sinkhorn(GroundCost.SQUARED_EUCLIDEAN, Double.NaN, 0.01, 0, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("tolerance");
    }
}
