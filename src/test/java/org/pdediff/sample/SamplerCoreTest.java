package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.Batch;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;

/** The shared sampler core: step handlers, the finiteness check, statelessness, and the bs23 adaptive pair. */
class SamplerCoreTest {
    private static final ScoreModel MOONS = new FiniteDataScore(new VpSde(), DataSets.parse("moons:n=100").points(),
            FiniteDataScore.Backend.JAVA);

    /** Every sampler, one instance run from 4 threads at once: each run equals the sequential run bit for bit. */
    @ParameterizedTest
    @EnumSource(SamplerKind.class)
    void oneSamplerInstanceServesManyThreads(SamplerKind kind) throws Exception {
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(12).eps(2e-2).seed(3).eta(0.5).rtol(1e-4).atol(1e-4)
                .recordTimes(0.5).build();
        Sampler sampler = Samplers.create(opts);
        List<Batch> starts = new ArrayList<>();
        List<double[]> sequential = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            starts.add(Samplers.prior(MOONS, 10L * b, 10, 3));
            sequential.add(sampler.sample(MOONS, starts.get(b), 10L * b).samples().data());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SampleResult>> f = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                int bb = b;
                f.add(pool.submit(() -> sampler.sample(MOONS, starts.get(bb), 10L * bb)));
            }
            for (int b = 0; b < 4; b++) {
                SampleResult r = f.get(b).get();
                assertThat(r.samples().data()).containsExactly(sequential.get(b));
                assertThat(r.trajectory()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** init once with the start, handleStep once per accepted step with increasing indices, finish once at ε. */
    @ParameterizedTest
    @EnumSource(value = SamplerKind.class, names = {"EM", "RK4", "DP45"})
    void handlersSeeEveryStep(SamplerKind kind) {
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(9).eps(0.05).seed(1).rtol(1e-3).atol(1e-3).build();
        Batch start = Samplers.prior(MOONS, 0, 5, 1);
        List<String> calls = new ArrayList<>();
        double[] lastT = {Double.NaN};
        StepHandler h = new StepHandler() {
            @Override
            public void init(double t0, Batch x0) {
                calls.add("init " + t0);
                assertThat(x0.data()).containsExactly(start.data());
            }

            @Override
            public void handleStep(StepEvent e) {
                calls.add("step " + e.step());
                assertThat(e.h()).isPositive();
                lastT[0] = e.t();
            }

            @Override
            public void finish(double t, Batch x) {
                calls.add("finish " + t);
            }
        };
        SampleResult r = Samplers.create(opts).sample(MOONS, start, 0, List.of(h));
        assertThat(calls.get(0)).isEqualTo("init 1.0");
        assertThat(calls).hasSize(r.steps() + 2);
        for (int k = 1; k <= r.steps(); k++) {
            assertThat(calls.get(k)).isEqualTo("step " + k);
        }
        assertThat(calls.get(calls.size() - 1)).isEqualTo("finish 0.05");
        assertThat(lastT[0]).isEqualTo(0.05);
    }

    /** A score that returns 1e300 at t = 0.46 (first used by step 7, reaching 0.37): the check names the sampler, the step and the time; nothing leaves. */
    @Test
    void blowUpStopsWithTheStepAndTime() {
        ScoreModel bad = new ScoreModel() {
            @Override
            public Sde sde() {
                return MOONS.sde();
            }

            @Override
            public int dim() {
                return 2;
            }

            @Override
            public void score(Batch x, double t, Batch out) {
                MOONS.score(x, t, out);
                if (t < 0.5) {
                    out.data()[3] = t < 0.3 ? Double.NaN : 1e300;
                }
            }

            @Override
            public String describe() {
                return "bad";
            }
        };
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EULER).steps(10).eps(0.1).build();
        assertThatThrownBy(() -> Samplers.fromPrior(bad, 4, opts, 4)).isInstanceOf(NumericalFailureException.class)
                .hasMessageContaining("euler diverged at step 7 (t=0.3700)").hasMessageContaining("particle 1, coordinate 1");
        SamplingOptions em = SamplingOptions.builder().kind(SamplerKind.EM).steps(10).eps(0.1).build();
        assertThatThrownBy(() -> Samplers.fromPrior(bad, 4, em, 4)).isInstanceOf(NumericalFailureException.class)
                .hasMessageContaining("em diverged at step 7");
    }

    /** The bound is 10⁸ × the largest scale of the problem (prior standard deviation, start points, 1). */
    @Test
    void blowUpBoundFollowsThePriorScale() {
        Batch small = Batch.ofRows(new double[] {0.5, -0.1});
        assertThat(new FinitenessCheck("x", new VpSde(), small, 0).bound()).isEqualTo(1e8);
        assertThat(new FinitenessCheck("x", new org.pdediff.sde.VeSde(0.01, 50, 1), small, 0).bound()).isEqualTo(5e9);
        assertThat(new FinitenessCheck("x", new VpSde(), Batch.ofRows(new double[] {300, 0}), 0).bound()).isEqualTo(3e10);
    }
}
