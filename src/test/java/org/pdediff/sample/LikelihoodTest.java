package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.WithJacobian;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * Likelihoods through the probability-flow ODE against closed forms.
 *
 * <p>Gaussian data N(μ, s²I): the flow with the exact score is the affine map x_T = α_Tμ + √(v_T/v_ε)(x − α_εμ),
 * v_t = α_t²s² + σ_t² ({@link GaussianOracle}), so the model's log-density is exactly
 * log π(x_T) + (d/2) log(v_T/v_ε), under every SDE. The computed value must match it to the solver tolerance: the
 * local errors of (x, ℓ) are held below rtol·|·| + atol per step and the flow is contracting or mildly expanding
 * (|∂ log π/∂x_T| = |x_T|/v_T = O(1)), so the global error is a modest multiple of the tolerance times the size of ℓ
 * (≤ 20 here); we require error &lt; 200·tol and that it falls with the tolerance.
 */
class LikelihoodTest {
    static Stream<Sde> sdes() {
        return Stream.of(new VpSde(), new SubVpSde(), new VeSde(0.01, 5, 1), new OuSde(1, Math.sqrt(2), 3), new HeatSde(1));
    }

    static double[] oracle(GaussianOracle o, Batch x, double eps) {
        double T = o.sde.T();
        Batch xT = o.flow(x, eps, T);
        double[] lp = o.sde.priorLogDensity(xT);
        int d = x.dim();
        for (int i = 0; i < lp.length; i++) {
            lp[i] += 0.5 * d * Math.log(o.variance(T) / o.variance(eps));
        }
        return lp;
    }

    static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void gaussianDataMatchesTheClosedFormUnderEverySde(Sde sde) {
        GaussianOracle o = new GaussianOracle(sde, new double[] {0.7, -0.4}, 0.5);
        double eps = 1e-3;
        Batch x = o.sampleAt(eps, 16, 11);
        double[] want = oracle(o, x, eps);
        double prev = Double.POSITIVE_INFINITY;
        long prevNfe = 0;
        for (double tol : new double[] {1e-3, 1e-5, 1e-7}) {
            LikelihoodResult r = Likelihood.builder().eps(eps).rtol(tol).atol(tol).build().evaluate(o.score, x, 0);
            double err = maxDiff(r.logpNats(), want);
            assertThat(err).as("%s tol %g", sde.spec(), tol).isLessThan(200 * tol);
            assertThat(err).as("%s tol %g", sde.spec(), tol).isLessThan(prev);
            assertThat(r.nfe()).isGreaterThan(prevNfe).isEqualTo(1 + 6L * (r.steps() + r.rejected()));
            assertThat(r.stdErrNats()).containsOnly(0.0);
            prev = err;
            prevNfe = r.nfe();
        }
    }

    /** bs23 and the Jacobian's trace (no closed-form divergence) give the same closed form. */
    @Test
    void bs23AndJacobianTraceAgree() {
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {0.2, 0.3}, 0.8);
        ScoreModel jacOnly = new JacobianOnly(o.score);
        Batch x = o.sampleAt(1e-3, 8, 2);
        double[] want = oracle(o, x, 1e-3);
        LikelihoodResult r = Likelihood.builder().eps(1e-3).rtol(1e-6).atol(1e-6).tableau(ButcherTableau.BOGACKI_SHAMPINE_32)
                .build().evaluate(jacOnly, x, 0);
        assertThat(maxDiff(r.logpNats(), want)).isLessThan(200e-6);
        assertThat(r.nfe()).isEqualTo(1 + 3L * (r.steps() + r.rejected()));
        // batch-RMS control bounds only the batch average: never more steps than per-point control, same accuracy class
        LikelihoodResult rms = Likelihood.builder().eps(1e-3).rtol(1e-6).atol(1e-6).tableau(ButcherTableau.BOGACKI_SHAMPINE_32)
                .errorControl(Likelihood.ErrorControl.BATCH_RMS).build().evaluate(jacOnly, x, 0);
        assertThat(rms.steps()).isLessThanOrEqualTo(r.steps());
        assertThat(maxDiff(rms.logpNats(), want)).isLessThan(200e-6);
    }

    /**
     * Hutchinson with K probes on Gaussian data: for the linear score vᵀ(∇s)v = −|v|²/v_t = −d/v_t for every
     * Rademacher v, so the estimate is exact and the standard error is 0 up to rounding; with the central difference
     * (no Jacobian) the same holds to the difference's rounding (δ = 1e-4σ: relative 1e-12/1e-4 ≈ 1e-8 per evaluation).
     */
    @Test
    void hutchinsonIsExactForALinearScore() {
        GaussianOracle o = new GaussianOracle(new OuSde(1, Math.sqrt(2), 3), new double[] {0.2, 0.3}, 0.8);
        Batch x = o.sampleAt(1e-3, 8, 2);
        double[] want = oracle(o, x, 1e-3);
        for (ScoreModel s : new ScoreModel[] {o.score, new ScoreOnly(o.score)}) {
            LikelihoodResult r = Likelihood.builder().eps(1e-3).rtol(1e-7).atol(1e-7).trace(TraceEstimator.hutchinson(3))
                    .build().evaluate(s, x, 0);
            assertThat(maxDiff(r.logpNats(), want)).as(s.describe()).isLessThan(1e-4);
            for (double se : r.stdErrNats()) {
                assertThat(se).isLessThan(1e-6);
            }
        }
    }

    /**
     * Hutchinson on a non-Gaussian law (exact finite-data score, d = 2): unbiased, so the mean over many probes agrees
     * with the exact trace within a few standard errors (5 SE), and the reported SE is consistent with the spread.
     */
    @Test
    void hutchinsonIsUnbiasedWithinItsStandardError() {
        Batch data = DataSets.parse("moons:n=40").points();
        ScoreModel score = new FiniteDataScore(new VpSde(), data, FiniteDataScore.Backend.JAVA);
        Batch x = Samplers.prior(score, 0, 6, 1);
        for (int k = 0; k < x.data().length; k++) {
            x.data()[k] *= 0.8;
        }
        Likelihood.Builder b = Likelihood.builder().eps(0.05).rtol(1e-6).atol(1e-6);
        LikelihoodResult exact = b.build().evaluate(score, x, 0);
        LikelihoodResult h = b.trace(TraceEstimator.hutchinson(64)).seed(7).build().evaluate(score, x, 0);
        double z2 = 0;
        for (int i = 0; i < x.size(); i++) {
            assertThat(h.stdErrNats()[i]).isGreaterThan(0);
            double z = (h.logpNats()[i] - exact.logpNats()[i]) / h.stdErrNats()[i];
            assertThat(Math.abs(z)).as("point %d", i).isLessThan(5);
            z2 += z * z;
        }
        // Σz² over 6 points is χ²(6)-like; 30 is beyond its 99.99% quantile
        assertThat(z2).isLessThan(30);
    }

    /**
     * The ε-dependence on finite data (MATH.md C1): with the exact score the flow carries p_ε exactly to p_T, and for
     * vp p_T differs from the prior N(0, I) by O(α_T|x|) ≈ 0.007·|x| in log-density, so log p_ε computed through the
     * ODE equals the closed-form mixture density (1/N)Σ N(x; α_ε y_j, σ_ε²I) to ~0.05 nats. The data points are ≥ 1
     * apart, so at a training point the other terms are below e^{−1/(2σ²)} ≤ e^{−250} and log p_ε = −ln N
     * − (d/2) ln(2πσ_ε²) − (1 − α_ε)²|y|²/(2σ_ε²) (the last ≤ 1e-3): it grows like −(d/2) ln σ(ε)². A held-out point
     * 0.3 away from the data falls instead (memorisation: the exact score gives training points huge likelihood and
     * held-out points little).
     */
    @Test
    void finiteDataLikelihoodFollowsTheMixtureAndItsEpsilonLaw() {
        Batch data = Batch.ofRows(new double[] {0.6, 0.2}, new double[] {-0.5, 0.7}, new double[] {-0.2, -0.8},
                new double[] {0.9, -0.6});
        FiniteDataScore score = new FiniteDataScore(new VpSde(), data, FiniteDataScore.Backend.JAVA);
        Batch held = Batch.ofRows(new double[] {0.3, 0.2}, new double[] {-0.2, -0.5});
        double[] epss = {1e-2, 1e-3};
        double[][] lp = new double[2][];
        double[][] heldLp = new double[2][];
        for (int e = 0; e < 2; e++) {
            Likelihood lik = Likelihood.builder().eps(epss[e]).rtol(1e-7).atol(1e-7).build();
            lp[e] = lik.evaluate(score, data, 0).logpNats();
            heldLp[e] = lik.evaluate(score, held, 0).logpNats();
            double[] exact = new double[4];
            score.logDensity(data, epss[e], exact);
            double[] exactHeld = new double[2];
            score.logDensity(held, epss[e], exactHeld);
            for (int i = 0; i < 4; i++) {
                assertThat(lp[e][i]).as("eps %g point %d", epss[e], i).isCloseTo(exact[i], org.assertj.core.data.Offset.offset(0.05));
            }
            for (int i = 0; i < 2; i++) {
                // log p ≈ −400 here: the same tolerance relative to its size
                assertThat(heldLp[e][i]).as("held-out eps %g point %d", epss[e], i).isCloseTo(exactHeld[i],
                        org.assertj.core.data.Offset.offset(0.05 + 1e-4 * Math.abs(exactHeld[i])));
            }
        }
        Sde sde = score.sde();
        double slope = -(2 / 2.0) * Math.log(sde.sigma2(epss[1]) / sde.sigma2(epss[0]));
        for (int i = 0; i < 4; i++) {
            assertThat(lp[1][i] - lp[0][i]).isCloseTo(slope, org.assertj.core.data.Offset.offset(0.05));
        }
        for (int i = 0; i < 2; i++) {
            assertThat(heldLp[1][i]).isLessThan(heldLp[0][i]);
            assertThat(heldLp[1][i]).isLessThan(lp[1][0] - 100);
        }
    }

    @Test
    void badInputIsOneLine() {
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {0.2, 0.3}, 0.8);
        Likelihood lik = Likelihood.builder().build();
        assertThatThrownBy(() -> lik.evaluate(o.score, Batch.zeros(2, 3), 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("points have dimension 3 but the score has dimension 2");
        assertThatThrownBy(() -> lik.evaluate(new ScoreOnly(o.score), Batch.zeros(2, 2), 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("use --trace hutchinson:probes=K");
        assertThatThrownBy(() -> TraceEstimator.parse("hutch")).isInstanceOf(InvalidInputException.class);
        assertThat(TraceEstimator.parse("hutchinson:probes=8")).isEqualTo(TraceEstimator.hutchinson(8));
        Batch nan = Batch.ofRows(new double[] {0, 0}, new double[] {Double.NaN, 0});
        assertThatThrownBy(() -> lik.evaluate(o.score, nan, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessage("point 11 is not finite");
    }

    /** A score whose vector field becomes non-finite: the failure names the point index and the time. */
    @Test
    void nonFiniteStopsWithThePointIndex() {
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {0.2, 0.3}, 0.8);
        ScoreModel bad = new ScoreOnly(o.score) {
            @Override
            public void score(Batch x, double t, Batch out) {
                super.score(x, t, out);
                if (t > 0.5) {
                    out.data()[2] = Double.NaN;
                }
            }
        };
        Batch x = o.sampleAt(1e-3, 3, 2);
        assertThatThrownBy(() -> Likelihood.builder().eps(1e-3).trace(TraceEstimator.hutchinson(2)).build().evaluate(bad, x, 5))
                .isInstanceOf(org.pdediff.core.NumericalFailureException.class).hasMessageContaining("point 6 became non-finite at t=");
    }

    /** Delegates the score and its Jacobian only (its divergence is the default trace of the Jacobian). */
    static class JacobianOnly extends ScoreOnly implements WithJacobian {
        JacobianOnly(ScoreModel s) {
            super(s);
        }

        @Override
        public void jacobian(Batch x, double t, double[] out) {
            ((WithJacobian) inner).jacobian(x, t, out);
        }
    }

    /** Delegates the score only. */
    static class ScoreOnly implements ScoreModel {
        final ScoreModel inner;

        ScoreOnly(ScoreModel s) {
            inner = s;
        }

        @Override
        public Sde sde() {
            return inner.sde();
        }

        @Override
        public int dim() {
            return inner.dim();
        }

        @Override
        public void score(Batch x, double t, Batch out) {
            inner.score(x, t, out);
        }

        @Override
        public String describe() {
            return "score-only " + inner.describe();
        }
    }
}
