package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSets;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * The exact finite-data score (M10) against ∇ log p_t of p_t = (1/N) Σ N(αy_j, σ²I) written independently.
 *
 * <p>Tolerances. For k ≥ 3 the k-th derivative of log p_t is the k-th cumulant tensor of the posterior of αy
 * divided by σ^{2k}; that posterior lives on a set of diameter αD (D the data diameter), so with R = αD/σ,
 * |∂^k log p| ≲ R^k/σ^k. Central differences with h = 1e-5σ then have truncation error h²R³/(6σ) ≤ 3e-8/σ for the
 * gradient and h²R⁴/(6σ²) ≤ 4e-7/σ² for the Jacobian when R ≤ 12, and rounding error ε|log p|/h ≤ 2e-16·(R+3)²/1e-5
 * ≈ 5e-9/σ and ε|s|/h ≤ 3e-10/σ². A tolerance of 1e-6 in units of 1/σ (gradient) and 1/σ² (Jacobian), or of the
 * largest entry when that is larger, covers both. The cases below have R ≤ 12 (asserted).
 */
class FiniteDataScoreTest {
    private static final Batch DATA = DataSets.parse("points:d=3,n=7,low=-0.5,high=0.5,seed=5").points();

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(new VpSde(), 0.05), Arguments.of(new VpSde(), 0.3), Arguments.of(new VpSde(), 0.9),
                Arguments.of(new SubVpSde(), 0.2), Arguments.of(new SubVpSde(), 0.6), Arguments.of(new VeSde(), 0.4),
                Arguments.of(new VeSde(), 0.8), Arguments.of(new OuSde(1, 1, 10), 0.05), Arguments.of(new OuSde(1, 1, 10), 1.0),
                Arguments.of(new OuSde(), 5.0), Arguments.of(new HeatSde(), 0.02), Arguments.of(new HeatSde(), 0.2));
    }

    private static double diameter(Batch y) {
        double best = 0;
        for (int i = 0; i < y.size(); i++) {
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = 0; k < y.dim(); k++) {
                    double v = y.get(i, k) - y.get(j, k);
                    s += v * v;
                }
                best = Math.max(best, Math.sqrt(s));
            }
        }
        return best;
    }

    /** Query points: near each αy_j (within a few σ), between data points, and a little outside the data. */
    private static List<double[]> queries(Sde sde, double t) {
        double a = sde.alpha(t);
        double s = sde.sigma(t);
        RandomStream rng = RandomStream.of(31).derive("queries");
        List<double[]> xs = new ArrayList<>();
        for (int j = 0; j < DATA.size(); j++) {
            double[] x = new double[3];
            for (int k = 0; k < 3; k++) {
                x[k] = a * DATA.get(j, k) + s * rng.normal(j, k);
            }
            xs.add(x);
        }
        double[] mid = new double[3];
        double[] off = new double[3];
        for (int k = 0; k < 3; k++) {
            mid[k] = a * 0.5 * (DATA.get(0, k) + DATA.get(1, k)) + 0.1 * s;
            off[k] = a * DATA.get(2, k) + 2 * s * (k == 1 ? -1 : 1);
        }
        xs.add(mid);
        xs.add(off);
        return xs;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scoreIsTheGradientOfTheLogDensity(Sde sde, double t) {
        FiniteDataScore model = new FiniteDataScore(sde, DATA);
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double s = Math.sqrt(s2);
        assertThat(a * diameter(DATA) / s).as("R = αD/σ (precondition of the tolerance)").isLessThanOrEqualTo(12);
        double h = 1e-5 * s;
        for (double[] x : queries(sde, t)) {
            double[] got = Oracles.score(model, x, t);
            double[] fd = Oracles.gradient(z -> Oracles.logFinite(DATA, a, s2, z), x, h);
            double tol = 1e-6 * Math.max(Oracles.norm(got), 1 / s);
            assertThat(got).containsExactly(fd, within(tol));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void jacobianAndDivergenceAreDerivativesOfTheScoreAndObeyLiYau(Sde sde, double t) {
        FiniteDataScore model = new FiniteDataScore(sde, DATA);
        double s2 = sde.sigma2(t);
        double s = Math.sqrt(s2);
        double h = 1e-5 * s;
        List<double[]> xs = queries(sde, t);
        int n = xs.size();
        Batch batch = Batch.zeros(n, 3);
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs.get(i), 0, batch.data(), 3 * i, 3);
        }
        double[] jac = new double[n * 9];
        double[] div = new double[n];
        model.jacobian(batch, t, jac);
        model.divergence(batch, t, div);
        for (int i = 0; i < n; i++) {
            double[] j = java.util.Arrays.copyOfRange(jac, 9 * i, 9 * i + 9);
            double[] fd = Oracles.jacobian(z -> Oracles.score(model, z, t), xs.get(i), h);
            double scale = Math.max(Oracles.maxAbs(j), 1 / s2);
            assertThat(j).containsExactly(fd, within(1e-6 * scale));
            double trace = j[0] + j[4] + j[8];
            // same quantity summed in a different order: rounding ~ 10ε·scale
            assertThat(div[i]).isCloseTo(trace, within(1e-13 * scale));
            assertThat(div[i]).isCloseTo(fd[0] + fd[4] + fd[8], within(3e-6 * scale));
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < p; q++) {
                    assertThat(j[p * 3 + q]).isCloseTo(j[q * 3 + p], within(1e-14 * scale));
                }
            }
            // Li–Yau (M14): ∇s = −I/σ² + Cov_π[αy]/σ⁴ ⪰ −I/σ²; eigenvalue rounding ≲ 10ε·scale
            assertThat(Oracles.minEigenvalue(j, 3)).isGreaterThanOrEqualTo(-1 / s2 - 1e-13 * scale);
            assertThat(div[i]).isGreaterThanOrEqualTo(-3 / s2 - 1e-13 * scale);
        }
    }

    @ParameterizedTest
    @MethodSource("tinySigma")
    void stableAtSigmaOneInTenThousand(Sde sde, double t) {
        double s2 = sde.sigma2(t);
        assertThat(Math.sqrt(s2)).isCloseTo(1e-4, within(2e-6));
        Batch y = DataSets.parse("points:d=2,n=50,seed=1").points();
        FiniteDataScore model = new FiniteDataScore(sde, y);
        double a = sde.alpha(t);
        // nearest-datum regime: x = αy_k + 3σ(0.6, −0.8); every other datum is more than 1e-2 away (asserted), so its
        // weight relative to y_k is below exp(−(1e-2 − 3e-4)²/(2σ²)) = e^{−4700} = 0 in double precision, and the
        // one-datum score −(x − αy_k)/σ² (M12) is exact up to rounding.
        for (int k = 0; k < y.size(); k++) {
            double[] x = {a * y.get(k, 0) + 3e-4 * 0.6, a * y.get(k, 1) - 3e-4 * 0.8};
            double minOther = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.size(); j++) {
                if (j != k) {
                    minOther = Math.min(minOther, Math.hypot(x[0] - a * y.get(j, 0), x[1] - a * y.get(j, 1)));
                }
            }
            assertThat(minOther).isGreaterThan(1e-2);
            double[] got = Oracles.score(model, x, t);
            double[] want = {-(x[0] - a * y.get(k, 0)) / s2, -(x[1] - a * y.get(k, 1)) / s2};
            // rounding only: a few ε relative
            assertThat(got).containsExactly(want, within(1e-13 * Oracles.norm(want)));
            double[] jac = new double[4];
            model.jacobian(Batch.wrap(x.clone(), 1, 2), t, jac);
            assertThat(jac).containsExactly(new double[] {-1 / s2, 0, 0, -1 / s2}, within(1e-12 / s2));
        }
        // points far from every datum (exp(−d²/(2σ²)) underflows for all j): still finite and equal to the
        // nearest-datum score, because the soft-max subtracts the smallest distance
        RandomStream rng = RandomStream.of(4);
        Batch far = Batch.zeros(200, 2);
        for (int i = 0; i < 200; i++) {
            far.set(i, 0, 3 * rng.uniform(i, 0) - 1.5);
            far.set(i, 1, 3 * rng.uniform(i, 1) - 1.5);
        }
        Batch out = model.score(far, t);
        double[] div = new double[200];
        model.divergence(far, t, div);
        for (int i = 0; i < 200; i++) {
            assertThat(Double.isFinite(out.get(i, 0)) && Double.isFinite(out.get(i, 1)) && Double.isFinite(div[i])).isTrue();
            int best = -1;
            double d1 = Double.POSITIVE_INFINITY;
            double d2 = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.size(); j++) {
                double r = Math.hypot(far.get(i, 0) - a * y.get(j, 0), far.get(i, 1) - a * y.get(j, 1));
                if (r < d1) {
                    d2 = d1;
                    d1 = r;
                    best = j;
                } else if (r < d2) {
                    d2 = r;
                }
            }
            // the runner-up has relative weight exp(−(d2² − d1²)/(2σ²)); skip the rare near-ties where it is not 0
            if ((d2 * d2 - d1 * d1) / (2 * s2) > 800) {
                double wx = -(far.get(i, 0) - a * y.get(best, 0)) / s2;
                double wy = -(far.get(i, 1) - a * y.get(best, 1)) / s2;
                assertThat(out.get(i, 0)).isCloseTo(wx, within(1e-13 * Math.hypot(wx, wy)));
                assertThat(out.get(i, 1)).isCloseTo(wy, within(1e-13 * Math.hypot(wx, wy)));
            }
        }
    }

    static Stream<Arguments> tinySigma() {
        // heat: σ² = 2t; vp: σ² = 1 − exp(−∫β) ≈ 0.1 t for small t; ve: σ² = σmin²(r^{2t} − 1) ≈ σmin²·2t ln r
        double tVp = 1e-7;
        double tVe = Math.log1p(1e-8 / 1e-4) / (2 * Math.log(50 / 0.01));
        return Stream.of(Arguments.of(new HeatSde(), 5e-9), Arguments.of(new VpSde(), tVp), Arguments.of(new VeSde(), tVe));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withOneDatumItIsTheOneDatumScore(Sde sde, double t) {
        double[] y0 = {0.3, -1.2, 0.7};
        FiniteDataScore fin = new FiniteDataScore(sde, Batch.ofRows(y0));
        OneDatumScore one = new OneDatumScore(sde, y0);
        Batch x = Batch.zeros(25, 3);
        RandomStream.of(6).fillNormal(x, 0, 0);
        Batch a = fin.score(x, t);
        Batch b = one.score(x, t);
        // (αy − x)/σ² versus −(x − αy)·(1/σ²): division versus multiplication by the reciprocal, ≤ 2 ulp apart
        for (int k = 0; k < a.data().length; k++) {
            assertThat(a.data()[k]).isCloseTo(b.data()[k], within(4 * Math.ulp(b.data()[k])));
        }
        double[] ja = new double[25 * 9];
        double[] jb = new double[25 * 9];
        fin.jacobian(x, t, ja);
        one.jacobian(x, t, jb);
        assertThat(ja).containsExactly(jb);
        double[] da = new double[25];
        double[] db = new double[25];
        fin.divergence(x, t, da);
        one.divergence(x, t, db);
        assertThat(da).containsExactly(db);
    }

    @Test
    void largeBatchesComputedInParallelEqualOnePointAtATime() {
        // 256 points × 1000 data × d=2 > 200 000 switches on the parallel path; the result must not depend on it
        Batch y = DataSets.parse("moons:n=1000,seed=2").points();
        FiniteDataScore model = new FiniteDataScore(new VpSde(), y);
        Batch x = Batch.zeros(256, 2);
        RandomStream.of(3).fillNormal(x, 0, 0);
        double t = 0.1;
        Batch all = model.score(x, t);
        double[] jac = new double[256 * 4];
        model.jacobian(x, t, jac);
        for (int i = 0; i < 256; i++) {
            Batch one = x.rows(i, i + 1);
            assertThat(model.score(one, t).data()).containsExactly(all.row(i));
            double[] j1 = new double[4];
            model.jacobian(one, t, j1);
            assertThat(j1).containsExactly(java.util.Arrays.copyOfRange(jac, 4 * i, 4 * i + 4));
        }
        assertThat(model.dataSize()).isEqualTo(1000);
        assertThat(model.data().data()).containsExactly(y.data());
    }

    @Test
    void badInputsAreInvalidInput() {
        FiniteDataScore model = new FiniteDataScore(new VpSde(), DATA);
        assertThatThrownBy(() -> model.score(Batch.zeros(2, 2), 0.5)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> model.divergence(Batch.zeros(2, 4), 0.5, new double[2])).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> model.score(Batch.zeros(2, 3), 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new FiniteDataScore(new VpSde(), Batch.zeros(0, 3))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new FiniteDataScore(new VpSde(), Batch.ofRows(new double[] {1, Double.NaN})))
                .isInstanceOf(InvalidInputException.class);
    }
}
