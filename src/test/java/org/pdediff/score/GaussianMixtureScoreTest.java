package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSets;
import org.pdediff.data.GaussianMixture;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * The analytic mixture score (M11) against finite differences of the mixture log-density written with EJML, and
 * against closed forms. Finite-difference tolerances follow the argument of {@link FiniteDataScoreTest}, with the
 * length scale ℓ = min_k √λ_min(V_k) in place of σ and R = D/ℓ, D the largest distance between component means and
 * query points. The step shrinks with R, h = 1e-5ℓ·min(1, 8/R), so that the Jacobian's truncation error
 * h²R⁴/(6ℓ²) ≤ 1e-10·64R²/(6ℓ²) ≤ 5e-7/ℓ² for R ≤ 20 (asserted), while rounding stays below ε|log p|/h ≲ 1e-8/ℓ
 * (gradient) and ε|s|/h ≲ 1e-9/ℓ² (Jacobian). Tolerances: 1e-6·max(|s|, 1/ℓ) for the gradient and 1e-6·max(|J|, 1/ℓ²)
 * for the Jacobian.
 */
class GaussianMixtureScoreTest {
    /** Three correlated, unequally weighted components in d = 2. */
    static final GaussianMixture LAW = new GaussianMixture(new double[] {0.5, 0.3, 0.2},
            new double[][] {{0, 0}, {1.5, 0.5}, {-1, 1.2}},
            new double[][] {{0.3, 0.1, 0.1, 0.2}, {0.05, -0.02, -0.02, 0.08}, {0.5, 0, 0, 0.01}});

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(new VpSde(), 0.05), Arguments.of(new VpSde(), 0.3), Arguments.of(new VpSde(), 0.9),
                Arguments.of(new SubVpSde(), 0.3), Arguments.of(new VeSde(), 0.5), Arguments.of(new OuSde(1, 1, 10), 0.1),
                Arguments.of(new OuSde(1, 1, 10), 2.0), Arguments.of(new HeatSde(), 0.03), Arguments.of(new HeatSde(), 0.5));
    }

    private static double lengthScale(Sde sde, double t) {
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < LAW.components(); k++) {
            double[] v = new double[4];
            SimpleMatrix vm = Oracles.v(LAW, k, a, s2);
            for (int i = 0; i < 4; i++) {
                v[i] = vm.get(i / 2, i % 2);
            }
            min = Math.min(min, Oracles.minEigenvalue(v, 2));
        }
        return Math.sqrt(min);
    }

    private static List<double[]> queries(Sde sde, double t) {
        double a = sde.alpha(t);
        double s = Math.sqrt(a * a * 0.3 + sde.sigma2(t));
        RandomStream rng = RandomStream.of(12).derive("gmm-queries");
        List<double[]> xs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int k = i % 3;
            double[] mu = LAW.mean(k);
            xs.add(new double[] {a * mu[0] + s * rng.normal(i, 0), a * mu[1] + s * rng.normal(i, 1)});
        }
        return xs;
    }

    private static double spread(Sde sde, double t, List<double[]> xs) {
        double a = sde.alpha(t);
        double d = 0;
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 3; j++) {
                d = Math.max(d, a * Math.hypot(LAW.mean(k)[0] - LAW.mean(j)[0], LAW.mean(k)[1] - LAW.mean(j)[1]));
            }
            for (double[] x : xs) {
                d = Math.max(d, Math.hypot(x[0] - a * LAW.mean(k)[0], x[1] - a * LAW.mean(k)[1]));
            }
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scoreJacobianAndDivergenceMatchFiniteDifferences(Sde sde, double t) {
        GaussianMixtureScore model = new GaussianMixtureScore(sde, LAW);
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double ell = lengthScale(sde, t);
        List<double[]> xs = queries(sde, t);
        double r = spread(sde, t, xs) / ell;
        assertThat(r).as("R (precondition of the tolerance)").isLessThanOrEqualTo(20);
        double h = 1e-5 * ell * Math.min(1, 8 / r);
        for (double[] x : xs) {
            double[] got = Oracles.score(model, x, t);
            double[] fd = Oracles.gradient(z -> Oracles.logMixture(LAW, a, s2, z), x, h);
            assertThat(got).containsExactly(fd, within(1e-6 * Math.max(Oracles.norm(got), 1 / ell)));
            double[] j = new double[4];
            double[] div = new double[1];
            Batch one = Batch.wrap(x.clone(), 1, 2);
            model.jacobian(one, t, j);
            model.divergence(one, t, div);
            double[] fdj = Oracles.jacobian(z -> Oracles.score(model, z, t), x, h);
            double scale = Math.max(Oracles.maxAbs(j), 1 / (ell * ell));
            assertThat(j).containsExactly(fdj, within(1e-6 * scale));
            assertThat(j[1]).isCloseTo(j[2], within(1e-14 * scale));
            assertThat(div[0]).isCloseTo(j[0] + j[3], within(1e-15 * scale));
            // Li–Yau (M14) holds for every exact score: ∇s = −I/σ² + Cov[αX₀ | x]/σ⁴ ⪰ −I/σ²
            assertThat(Oracles.minEigenvalue(j, 2)).isGreaterThanOrEqualTo(-1 / s2 - 1e-13 * scale);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01, 0.2, 0.7, 1.0})
    void aSingleGaussianUnderVpHasTheLinearScore(double t) {
        // N(μ, Σ) under vp: p_t = N(αμ, V), V = α²Σ + σ²I, so s = −V⁻¹(x − αμ), ∇s = −V⁻¹ exactly
        double[] mu = {0.3, -1.2, 2.0};
        double[] sigma = {0.5, 0.2, -0.1, 0.2, 0.4, 0.05, -0.1, 0.05, 0.3};
        GaussianMixture law = new GaussianMixture(new double[] {1}, new double[][] {mu}, new double[][] {sigma});
        VpSde sde = new VpSde();
        GaussianMixtureScore model = new GaussianMixtureScore(sde, law);
        double a = sde.alpha(t);
        SimpleMatrix vinv = Oracles.v(law, 0, a, sde.sigma2(t)).invert();
        Batch x = Batch.zeros(20, 3);
        RandomStream.of(21).fillNormal(x, 0, 0);
        Batch s = model.score(x, t);
        double[] jac = new double[20 * 9];
        double[] div = new double[20];
        model.jacobian(x, t, jac);
        model.divergence(x, t, div);
        // κ(V) ≤ 10 here: Cholesky-based and LU-based inverses agree to ~κε relative
        double scale = vinv.elementMaxAbs();
        for (int i = 0; i < 20; i++) {
            SimpleMatrix r = new SimpleMatrix(3, 1);
            for (int k = 0; k < 3; k++) {
                r.set(k, 0, x.get(i, k) - a * mu[k]);
            }
            SimpleMatrix want = vinv.mult(r).scale(-1);
            for (int k = 0; k < 3; k++) {
                assertThat(s.get(i, k)).isCloseTo(want.get(k, 0), within(1e-13 * scale * (1 + Oracles.norm(r.getDDRM().data))));
                for (int q = 0; q < 3; q++) {
                    assertThat(jac[9 * i + 3 * k + q]).isCloseTo(-vinv.get(k, q), within(1e-13 * scale));
                }
            }
            assertThat(div[i]).isCloseTo(-vinv.trace(), within(1e-13 * scale));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void pointMassComponentsGiveTheFiniteDataScore(Sde sde, double t) {
        // Σ_k = 0 and equal weights make the mixture at time t exactly (1/N) Σ N(αy_k, σ²I): M11 reduces to M10
        Batch y = DataSets.parse("points:d=2,n=9,seed=8").points();
        double[][] means = new double[9][];
        double[][] covs = new double[9][4];
        double[] w = new double[9];
        for (int k = 0; k < 9; k++) {
            means[k] = y.row(k);
            w[k] = 1;
        }
        GaussianMixtureScore gmm = new GaussianMixtureScore(sde, new GaussianMixture(w, means, covs));
        FiniteDataScore fin = new FiniteDataScore(sde, y);
        Batch x = Batch.zeros(30, 2);
        RandomStream.of(2).fillNormal(x, 0, 0);
        Batch a = gmm.score(x, t);
        Batch b = fin.score(x, t);
        double s2 = sde.sigma2(t);
        // both are rounding-exact evaluations of one formula; the exponents (|x − αy|²/2σ² ≲ 10³ here) carry
        // relative rounding 1e-16 each, so the weights agree to ~1e-13 and the score to ~1e-13·(|x| + α|y|)/σ²
        double tol = 1e-11 * (1 + Oracles.maxAbs(x.data())) / s2;
        assertThat(a.data()).containsExactly(b.data(), within(tol));
        double[] ja = new double[30 * 4];
        double[] jb = new double[30 * 4];
        gmm.jacobian(x, t, ja);
        fin.jacobian(x, t, jb);
        assertThat(ja).containsExactly(jb, within(1e-11 * (1 + Oracles.maxAbs(jb)) / s2));
    }

    @Test
    void describesItselfAndKeepsItsLaw() {
        GaussianMixtureScore model = new GaussianMixtureScore(new VpSde(), LAW);
        assertThat(model.law()).isSameAs(LAW);
        assertThat(model.dim()).isEqualTo(2);
        assertThat(model).isInstanceOf(WithJacobian.class);
        assertThat(model.describe()).contains("3");
    }
}
