package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * The {@link Sampler} contract, run over every {@link SamplerKind} on every SDE of M1 against the Gaussian oracle:
 * started from exact samples of p_T with the exact score of Gaussian data N(μ, s²I), the reverse SDE (M6), every member
 * of the λ-family and the probability-flow ODE (M7) all have law p_t at every t, so the sample mean and variance at ε
 * must match the closed-form α_εμ and v_ε = α_ε²s² + σ_ε² up to 5 Monte-Carlo standard errors plus the discretisation
 * bias: 400 steps of a first-order scheme give O(h) ≈ 1% of v (bounded by 0.02·v; the ODE schemes and the adaptive
 * pairs are far below it). Also: the start batch is not modified, the result has its shape, and a second run with the
 * same seed is bit-identical.
 */
@Tag("slow")
class SamplerContractTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Sde[] sdes = {new VpSde(), new SubVpSde(), new VeSde(0.01, 5, 1), new OuSde(1, Math.sqrt(2), 3), new HeatSde(1)};
        for (SamplerKind kind : SamplerKind.values()) {
            for (Sde sde : sdes) {
                out.add(Arguments.of(kind, sde));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void recoversTheGaussianMarginal(SamplerKind kind, Sde sde) {
        GaussianOracle o = new GaussianOracle(sde, new double[] {0.8, -0.5}, 0.6);
        double eps = 0.02;
        int n = 4000;
        Batch start = o.sampleAt(sde.T(), n, 11);
        Batch keep = start.copy();
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(400).eps(eps).seed(7).eta(0.5).build();
        Sampler sampler = Samplers.create(opts);
        SampleResult r = sampler.sample(o.score, start, 0);
        assertThat(start.data()).as("start batch untouched").containsExactly(keep.data());
        assertThat(r.samples().size()).isEqualTo(n);
        assertThat(r.samples().dim()).isEqualTo(2);
        o.assertLaw(r.samples(), eps, 0.02, kind + " on " + sde.spec());
        assertThat(sampler.sample(o.score, start, 0).samples().data()).as("same seed, same bits").containsExactly(r.samples().data());
    }
}
