package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.VpSde;

/** One random stream per particle: the same seed gives bit-identical samples for batch sizes 1, 7 and 1000. */
@Tag("slow")
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

    /**
     * The native GEMM kernel (digits, d = 64) runs every particle through identically shaped products, so it is
     * batch-invariant too; and it agrees with the difference-based Java kernel to rounding.
     */
    @org.junit.jupiter.api.Test
    void nativeKernelIsBatchInvariantAndAgreesWithJava() {
        org.pdediff.core.Batch digits = DataSets.parse("digits:n=400").points();
        ScoreModel torch = new FiniteDataScore(new VpSde(), digits, FiniteDataScore.Backend.TORCH);
        ScoreModel java = new FiniteDataScore(new VpSde(), digits, FiniteDataScore.Backend.JAVA);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EM).steps(8).eps(0.05).seed(4).build();
        int n = 70;
        double[] one = Samplers.fromPrior(torch, n, opts, 1).samples().data();
        double[] seven = Samplers.fromPrior(torch, n, opts, 7).samples().data();
        double[] all = Samplers.fromPrior(torch, n, opts, 1000).samples().data();
        assertThat(seven).containsExactly(one);
        assertThat(all).containsExactly(one);
        org.pdediff.core.Batch x = Samplers.prior(java, 0, 50, 9);
        for (double t : new double[] {0.05, 0.3, 1.0}) {
            double[] a = torch.score(x, t).data();
            double[] b = java.score(x, t).data();
            double scale = 0;
            for (double v : b) {
                scale = Math.max(scale, Math.abs(v));
            }
            // logits agree to ~1e-16·(|x|²+α²|y|²)/(2σ²) ≤ 1e-9 by construction; scores then agree to ~1e-9 relative
            for (int k = 0; k < a.length; k++) {
                assertThat(Math.abs(a[k] - b[k])).as("t=%s", t).isLessThan(1e-8 * scale);
            }
        }
    }
}
