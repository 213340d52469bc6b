package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.score.OneDatumScore;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;

/**
 * Stochastic samplers against the exact law of Gaussian data, beyond the {@link SamplerContractTest} (which checks
 * every sampler's marginal at ε on every SDE): from the prior, the weak order of Euler–Maruyama, DDPM's limit and the
 * final denoising step. Tolerances as in {@link GaussianOracle#assertLaw}.
 */
@Tag("slow")
class SdeSamplerStatisticsTest {
    private static void assertLaw(GaussianOracle o, Batch x, double t, double bias, String what) {
        o.assertLaw(x, t, bias, what);
    }

    @Test
    void vpFromThePriorRecoversTheDataLaw() {
        // vp's p_T differs from N(0, I) by α(1)² ≈ 4e-5 in variance: negligible against the 5-SE bounds.
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {1.0, -0.5}, 0.3);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EM).steps(500).eps(1e-3).seed(3).build();
        SampleResult r = Samplers.fromPrior(o.score, 4000, opts, 1000);
        assertLaw(o, r.samples(), 1e-3, 0.02, "vp from prior");
    }

    /**
     * Weak order 1 of Euler–Maruyama: for Gaussian data the scheme is linear, x' = A_k x + b_k + c_k z, so its mean
     * and variance follow exact recursions. The code's sample variance must match the recursion (5 SE), and the
     * recursion's bias against the exact v_ε must halve when the steps double (observed order in [0.8, 1.2]).
     */
    @Test
    void eulerMaruyamaHasWeakOrderOne() {
        Sde sde = new VpSde();
        GaussianOracle o = new GaussianOracle(sde, new double[] {0.5}, 0.4);
        double eps = 0.05;
        double[] bias = new double[3];
        int[] ks = {25, 50, 100};
        for (int q = 0; q < 3; q++) {
            TimeGrid g = TimeGrid.of(GridKind.UNIFORM, 1, eps, ks[q]);
            double m = sde.alpha(1) * 0.5;
            double v = o.variance(1);
            for (int k = 0; k < g.steps(); k++) {
                double t = g.time(k);
                double h = g.step(k);
                double a = sde.driftRate(t);
                double g2 = sde.g2(t);
                double vt = o.variance(t);
                double at = sde.alpha(t);
                // x' = x + h(a x + g² s), s = −(x − α_tμ)/v_t, plus √(h g²) z
                double A = 1 + h * (a - g2 / vt);
                double b = h * g2 * at * 0.5 / vt;
                m = A * m + b;
                v = A * A * v + h * g2;
            }
            bias[q] = Math.abs(v - o.variance(eps));
            if (q == 1) {
                int n = 40000;
                SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(g).seed(5).build();
                SampleResult r = Samplers.create(opts).sample(o.score, o.sampleAt(1, n, 9), 0);
                double[] mv = GaussianOracle.meanVar(r.samples(), 0);
                assertThat(mv[0]).isCloseTo(m, org.assertj.core.data.Offset.offset(5 * Math.sqrt(v / n)));
                assertThat(mv[1]).isCloseTo(v, org.assertj.core.data.Offset.offset(5 * v * Math.sqrt(2.0 / n)));
            }
        }
        double p1 = Math.log(bias[0] / bias[1]) / Math.log(2);
        double p2 = Math.log(bias[1] / bias[2]) / Math.log(2);
        assertThat(p1).isBetween(0.8, 1.2);
        assertThat(p2).isBetween(0.8, 1.2);
    }

    /**
     * DDPM with K steps approaches the continuous reverse SDE: for Gaussian data its variance error at ε shrinks
     * like 1/K. Compare K = 10 and K = 160 (expected ratio 16; require ≥ 6 given Monte-Carlo noise) with 200 000
     * particles in 1-D.
     */
    @Test
    void ddpmApproachesTheReverseSdeAsStepsGrow() {
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {0.5}, 0.3);
        double eps = 0.05;
        int n = 200_000;
        Batch start = o.sampleAt(1, n, 21);
        double[] err = new double[2];
        int[] ks = {10, 160};
        for (int q = 0; q < 2; q++) {
            SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.DDPM).steps(ks[q]).eps(eps).seed(1).build();
            SampleResult r = Samplers.create(opts).sample(o.score, start, 0);
            err[q] = Math.abs(GaussianOracle.meanVar(r.samples(), 0)[1] - o.variance(eps));
        }
        double se = o.variance(eps) * Math.sqrt(2.0 / n);
        assertThat(err[0]).as("K=10 error must be well above noise").isGreaterThan(20 * se);
        assertThat(err[1]).isLessThan(err[0] / 6 + 4 * se);
    }

    /** C2 / M13: for one datum the DDPM posterior is exact, so Tweedie's final step returns x₀ to rounding. */
    @Test
    void finalDenoiseOfOneDatumReturnsTheDatum() {
        double[] x0 = {0.25, -1.5};
        OneDatumScore score = new OneDatumScore(new OuSde(1, Math.sqrt(2), 5), x0);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.DDPM).steps(50).eps(0.01).finalDenoise(true).build();
        SampleResult r = Samplers.fromPrior(score, 10, opts, 10);
        assertThat(r.denoised()).isTrue();
        assertThat(r.nfe()).isEqualTo(51);
        for (int i = 0; i < 10; i++) {
            assertThat(r.samples().get(i, 0)).isCloseTo(x0[0], org.assertj.core.data.Offset.offset(1e-12));
            assertThat(r.samples().get(i, 1)).isCloseTo(x0[1], org.assertj.core.data.Offset.offset(1e-12));
        }
    }
}
