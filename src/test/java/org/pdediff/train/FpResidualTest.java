package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * The finite-difference FP residuals against closed forms. Scale of the residual's terms: for a score of size |s| on
 * p_t, ∂_t s and ½g²∇(∇·s) are of order g²|s|/σ² (the score varies on the length scale σ and the time scale σ²/g²),
 * so "≈ 0" means small against g²·rms|s|/σ². The central differences have relative truncation error
 * O((h/σ)²) = O(10⁻⁶) and rounding O(10⁻¹⁶/10⁻⁶) = O(10⁻¹⁰); the tolerance 10⁻⁴ leaves a factor 100 for the
 * constants (mixture Jacobians with well-separated components are steeper than 1/σ²).
 */
class FpResidualTest {
    private static final double[] FRACTIONS = {0.05, 0.3, 1.0};

    private static double rms(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }

    private static double scale(ScoreModel s, Batch x, double t) {
        Sde sde = s.sde();
        double[] sc = s.score(x, t).data();
        return sde.g2(t) * rms(sc) * Math.sqrt(x.dim()) / sde.sigma2(t);
    }

    private static final DataSet BLOB = DataSets.parse("gmm:k=3,radius=1.5,std=0.4,n=500");

    @ParameterizedTest
    @ValueSource(strings = {"vp", "subvp", "ve:smin=0.01,smax=5", "ou:theta=1,g=1,T=10", "heat:T=2"})
    void analyticScoreHasZeroResidualUpToTheDifferenceError(String sdeSpec) {
        Sde sde = Sdes.parse(sdeSpec);
        GaussianMixtureScore s = new GaussianMixtureScore(sde, BLOB.law().orElseThrow());
        for (double f : FRACTIONS) {
            double t = f * sde.T();
            Batch x = ScoreErrors.perturbed(BLOB.points(), sde, t, 200, RandomStream.of(3).derive(sdeSpec));
            double r = ScoreDiagnostics.rms(s, x, t);
            assertThat(r).as("%s t=%s", sdeSpec, t).isLessThan(1e-4 * scale(s, x, t));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vp", "subvp", "ou:theta=1,g=1,T=10"})
    void residualOfAConstantlyShiftedScoreIsLinearInTheShiftAndMatchesTheClosedForm(String sdeSpec) {
        // s_η = s + ηc: ∂_t and ∇(∇·s) are unchanged, ½g²∇|s_η|² gains ηg²Jᵀc (∇|c|² = 0), a∇(x·s_η) gains ηac;
        // so r(s_η) = −η(g²Jᵀc + ac) exactly, with J the analytic Jacobian (M11).
        Sde sde = Sdes.parse(sdeSpec);
        GaussianMixtureScore s = new GaussianMixtureScore(sde, BLOB.law().orElseThrow());
        double[] c = {0.7, -0.4};
        double t = 0.3 * sde.T();
        Batch x = ScoreErrors.perturbed(BLOB.points(), sde, t, 100, RandomStream.of(5));
        double[] jac = new double[x.size() * 4];
        s.jacobian(x, t, jac);
        double prev = 0;
        for (double eta : new double[] {1e-2, 1e-1, 1}) {
            ScoreModel shifted = shifted(s, c, eta);
            double[] r = ScoreDiagnostics.residual(shifted, x, t).data();
            double[] diff = new double[r.length];
            double[] expect = new double[r.length];
            for (int i = 0; i < x.size(); i++) {
                for (int k = 0; k < 2; k++) {
                    double jtc = 0;
                    for (int j = 0; j < 2; j++) {
                        jtc += jac[i * 4 + j * 2 + k] * c[j];
                    }
                    expect[i * 2 + k] = -eta * (sde.g2(t) * jtc + sde.driftRate(t) * c[k]);
                    diff[i * 2 + k] = r[i * 2 + k] - expect[i * 2 + k];
                }
            }
            assertThat(rms(diff)).as("eta=%s", eta).isLessThan(1e-4 * scale(s, x, t));
            double norm = rms(r);
            if (prev > 0) {
                assertThat(norm / prev).as("tenfold shift, tenfold residual").isCloseTo(10, org.assertj.core.data.Offset.offset(1e-3));
            }
            prev = norm;
        }
    }

    private static ScoreModel shifted(ScoreModel s, double[] c, double eta) {
        return new ScoreModel() {
            @Override
            public Sde sde() {
                return s.sde();
            }

            @Override
            public int dim() {
                return s.dim();
            }

            @Override
            public void score(Batch x, double t, Batch out) {
                s.score(x, t, out);
                for (int i = 0; i < x.size(); i++) {
                    for (int j = 0; j < c.length; j++) {
                        out.set(i, j, out.get(i, j) + eta * c[j]);
                    }
                }
            }

            @Override
            public String describe() {
                return "shifted";
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"vp", "ve:smin=0.01,smax=5", "ou:theta=1,g=1,T=10"})
    void exactGaussianLogDensitySolvesTheLogDensityFpEquation(String sdeSpec) {
        // p_t = N(αμ, V I), V = α²v + σ²: q = −|x − αμ|²/(2V) − (d/2) ln(2πV) solves (M4); terms are of size g²d/V.
        Sde sde = Sdes.parse(sdeSpec);
        double[] mu = {1.0, -0.5};
        double v = 0.3;
        ScoreDiagnostics.Potential q = (x, t) -> {
            double a = sde.alpha(t);
            double var = a * a * v + sde.sigma2(t);
            double[] out = new double[x.size()];
            for (int i = 0; i < x.size(); i++) {
                double r2 = 0;
                for (int j = 0; j < 2; j++) {
                    double z = x.get(i, j) - a * mu[j];
                    r2 += z * z;
                }
                out[i] = -r2 / (2 * var) - Math.log(2 * Math.PI * var);
            }
            return out;
        };
        for (double f : FRACTIONS) {
            double t = f * sde.T();
            double a = sde.alpha(t);
            double var = a * a * v + sde.sigma2(t);
            Batch x = Batch.zeros(100, 2);
            RandomStream.of(11).fillNormal(x, 0, 0);
            for (int i = 0; i < 100; i++) {
                for (int j = 0; j < 2; j++) {
                    x.set(i, j, a * mu[j] + Math.sqrt(var) * x.get(i, j));
                }
            }
            double r = rms(ScoreDiagnostics.logDensityResidual(q, sde, x, t));
            assertThat(r).as("%s t=%s", sdeSpec, t).isLessThan(1e-5 * sde.g2(t) * 2 / var);
        }
    }
}
