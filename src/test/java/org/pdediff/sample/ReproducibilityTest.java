package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.VpSde;

/** One random stream per particle: the same seed gives bit-identical samples for batch sizes 1, 7 and 1000. */
class ReproducibilityTest {
    @ParameterizedTest
    @EnumSource(value = SamplerKind.class, names = {"EM", "PC", "DDPM", "DDIM", "EULER", "HEUN", "RK4"})
    void batchSizeDoesNotChangeSamples(SamplerKind kind) {
        ScoreModel score = new FiniteDataScore(new VpSde(), DataSets.parse("moons:n=300").points());
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(30).eps(1e-2).seed(42).eta(0.7).build();
        int n = 23;
        double[] one = Samplers.fromPrior(score, n, opts, 1).samples().data();
        double[] seven = Samplers.fromPrior(score, n, opts, 7).samples().data();
        double[] all = Samplers.fromPrior(score, n, opts, 1000).samples().data();
        assertThat(seven).containsExactly(one);
        assertThat(all).containsExactly(one);
        double[] otherSeed = Samplers.fromPrior(score, n, opts.toBuilder().seed(43).build(), 1000).samples().data();
        assertThat(otherSeed).isNotEqualTo(one);
    }
}
