package org.pdediff.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;

/**
 * The closed forms of table M1 are consistent with the SDE coefficients. For a linear SDE dX = −a(t)X dt + g dW the
 * moments of X_t | x₀ obey (from M3, multiplying by x and |x|² and integrating by parts)
 * dα/dt = −a(t)α and d(σ²)/dt = −2a(t)σ² + g²(t), with α(0) = 1, σ²(0) = 0.
 */
class SdeClosedFormTest {
    static Stream<Sde> sdes() {
        return Stream.of(new VpSde(), new VpSde(0.5, 10, 2), new SubVpSde(), new SubVpSde(0.2, 5, 1.5), new VeSde(),
                new VeSde(0.05, 10, 3), new OuSde(), new OuSde(1, 1, 10), new OuSde(2.5, 0.7, 3), new HeatSde(),
                new HeatSde(0.5));
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void kernelStartsAtTheData(Sde sde) {
        assertThat(sde.alpha(0)).isEqualTo(1);
        assertThat(sde.sigma2(0)).isEqualTo(0);
        assertThat(sde.sigma(0)).isEqualTo(0);
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void momentEquationsHoldByCentralDifferences(Sde sde) {
        // Central difference error: truncation h²|f'''|/6 relative ≈ (r h)²/6 where r ≤ 20 is the fastest rate of
        // the catalogue (β ≤ 20, 2 ln(σmax/σmin) ≈ 17); with h = 1e-5·T that is < 1e-7. Rounding: ε|f|/h relative
        // ≈ 1e-16/1e-5 = 1e-11. A tolerance of 1e-6 of the size of the terms covers both with a margin of 10.
        double h = 1e-5 * sde.T();
        for (double frac : new double[] {0.1, 0.37, 0.8, 0.99}) {
            double t = frac * sde.T();
            double a = sde.driftRate(t);
            double dVar = (sde.sigma2(t + h) - sde.sigma2(t - h)) / (2 * h);
            double rhsVar = -2 * a * sde.sigma2(t) + sde.g2(t);
            double scaleVar = Math.abs(2 * a * sde.sigma2(t)) + Math.abs(sde.g2(t));
            assertThat(dVar).as("dσ²/dt at t=%s", t).isCloseTo(rhsVar, within(1e-6 * scaleVar));
            double dAlpha = (sde.alpha(t + h) - sde.alpha(t - h)) / (2 * h);
            double rhsAlpha = -a * sde.alpha(t);
            assertThat(dAlpha).as("dα/dt at t=%s", t).isCloseTo(rhsAlpha, within(1e-6 * Math.abs(rhsAlpha) + 1e-13));
            assertThat(sde.g(t)).isEqualTo(Math.sqrt(sde.g2(t)));
            assertThat(sde.sigma(t)).isEqualTo(Math.sqrt(sde.sigma2(t)));
        }
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void integratingTheMomentEquationsWithRk4ReproducesTheClosedForms(Sde sde) {
        // Classical RK4 from (α, σ²) = (1, 0) at t = 0 to T: global error O(h⁴) ≈ (r h)⁴ relative with r ≤ 20 and
        // h = T/4000: (20/4000)⁴ ≈ 6e-10 (T ≤ 3 scales r h by at most 3 for the ou/heat cases, whose rates are small).
        int steps = 4000;
        double h = sde.T() / steps;
        double m = 1;
        double v = 0;
        for (int k = 0; k < steps; k++) {
            double t = k * h;
            double[] k1 = rhs(sde, t, m, v);
            double[] k2 = rhs(sde, t + h / 2, m + h / 2 * k1[0], v + h / 2 * k1[1]);
            double[] k3 = rhs(sde, t + h / 2, m + h / 2 * k2[0], v + h / 2 * k2[1]);
            double[] k4 = rhs(sde, t + h, m + h * k3[0], v + h * k3[1]);
            m += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
            v += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
        }
        double t = sde.T();
        assertThat(m).isCloseTo(sde.alpha(t), within(1e-8 * sde.alpha(t)));
        assertThat(v).isCloseTo(sde.sigma2(t), within(1e-8 * sde.sigma2(t)));
    }

    private static double[] rhs(Sde sde, double t, double m, double v) {
        double a = sde.driftRate(t);
        return new double[] {-a * m, -2 * a * v + sde.g2(t)};
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void priorVarianceFollowsTableM1(Sde sde) {
        double expected = switch (sde.kind()) {
            case VP, SUBVP -> 1;
            case OU -> ((OuSde) sde).gConst() * ((OuSde) sde).gConst() / (2 * ((OuSde) sde).theta());
            case VE -> ((VeSde) sde).smax() * ((VeSde) sde).smax();
            case HEAT -> 2 * sde.T();
        };
        assertThat(sde.priorVariance()).isCloseTo(expected, within(1e-15 * expected));
        // The prior is the large-T limit of the marginal of centred data: exactly for heat; up to α(T)² for vp/ou
        // (σ² = 1 − α² for vp, and g²(1 − α²)/(2θ) for ou); up to σmin² for the exact VE kernel.
        double gap = switch (sde.kind()) {
            case VP -> sde.alpha(sde.T()) * sde.alpha(sde.T());
            case SUBVP -> 2 * sde.alpha(sde.T()) * sde.alpha(sde.T());
            case OU -> sde.priorVariance() * sde.alpha(sde.T()) * sde.alpha(sde.T());
            case VE -> ((VeSde) sde).smin() * ((VeSde) sde).smin();
            case HEAT -> 0;
        };
        assertThat(Math.abs(sde.sigma2(sde.T()) - sde.priorVariance())).isLessThanOrEqualTo(gap * (1 + 1e-9) + 1e-15);
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void driftIsLinearWithTheStatedRate(Sde sde) {
        Batch x = Batch.ofRows(new double[] {1, -2, 0.5}, new double[] {3, 0, -1});
        Batch f = Batch.zeros(2, 3);
        double t = 0.3 * sde.T();
        sde.drift(x, t, f);
        for (int k = 0; k < 6; k++) {
            assertThat(f.data()[k]).isEqualTo(-sde.driftRate(t) * x.data()[k]);
        }
        assertThat(sde.driftDivergence(3, t)).isEqualTo(-3 * sde.driftRate(t));
        // in place (out may be x)
        sde.drift(x, t, x);
        assertThat(x.data()).containsExactly(f.data());
        double expectedRate = switch (sde.kind()) {
            case VP -> 0.5 * ((VpSde) sde).beta(t);
            case SUBVP -> 0.5 * ((SubVpSde) sde).beta(t);
            case OU -> ((OuSde) sde).theta();
            case VE, HEAT -> 0;
        };
        assertThat(sde.driftRate(t)).isEqualTo(expectedRate);
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void priorSamplesHaveThePriorMomentsAndDoNotDependOnBatchSize(Sde sde) {
        int n = 20_000;
        int d = 2;
        RandomStream rng = RandomStream.of(17).derive("prior");
        Batch x = sde.samplePrior(n, d, rng);
        double v = sde.priorVariance();
        double[] m = x.mean();
        double[] c = x.covariance();
        for (int j = 0; j < d; j++) {
            // SE of a mean √(v/n); of a Gaussian sample variance v√(2/(n−1)); of an off-diagonal v/√n
            assertThat(Math.abs(m[j])).isLessThan(5 * Math.sqrt(v / n));
            assertThat(Math.abs(c[j * d + j] - v)).isLessThan(5 * v * Math.sqrt(2.0 / (n - 1)));
        }
        assertThat(Math.abs(c[1])).isLessThan(5 * v / Math.sqrt(n));
        Batch small = sde.samplePrior(7, d, rng);
        assertThat(small.data()).containsExactly(x.rows(0, 7).data());
        // log-density of N(0, vI): −(d/2) log(2πv) − |x|²/(2v)
        double[] lp = sde.priorLogDensity(small);
        for (int i = 0; i < 7; i++) {
            double r2 = small.get(i, 0) * small.get(i, 0) + small.get(i, 1) * small.get(i, 1);
            double expected = -Math.log(2 * Math.PI * v) - r2 / (2 * v);
            assertThat(lp[i]).isCloseTo(expected, within(1e-13 * (1 + Math.abs(expected))));
        }
    }
}
