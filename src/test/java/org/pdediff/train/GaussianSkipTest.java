package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.nn.ActivationKind;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/** The Gaussian skip ({@link Skip#GAUSSIAN}): its closed-form part, its exact FP residuals, its loss gradient. */
class GaussianSkipTest {
    private static final DataSet DATA = DataSets.parse("gmm:k=3,radius=1.5,std=0.4,n=300");
    /** Moons: an anisotropic covariance with a non-zero off-diagonal entry. */
    private static final DataSet TILTED = DataSets.parse("moons:n=300");

    private static Trainer trainer(Parameterisation p, String sde, double fpWeight) {
        return trainer(p, sde, fpWeight, Skip.GAUSSIAN);
    }

    private static Trainer trainer(Parameterisation p, String sde, double fpWeight, Skip skip) {
        return trainer(p, sde, fpWeight, skip, DATA);
    }

    private static Trainer trainer(Parameterisation p, String sde, double fpWeight, Skip skip, DataSet data) {
        TrainConfig cfg = TrainConfig.builder().param(p).activation(ActivationKind.SOFTPLUS).softplusBeta(4).width(12).depth(2)
                .fourier(2).batch(16).fpBatch(8).fpWeight(fpWeight).fpTmin(0.05).dtype(DataType.FLOAT64).seed(9).steps(1)
                .skip(skip).build();
        return new Trainer(cfg, data, Sdes.parse(sde));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** The initial weights with the output layer zeroed: the network part N is identically 0. */
    private static double[] silentNetwork(Trainer tr) {
        double[] w = tr.initialParameters();
        for (Architecture.Tensor t : tr.architecture().tensors()) {
            if (t.name().equals("Wout") || t.name().equals("bout")) {
                java.util.Arrays.fill(w, t.offset(), t.offset() + t.size(), 0.0);
            }
        }
        return w;
    }

    @ParameterizedTest
    @CsvSource({"SCORE,vp,GAUSSIAN", "NOISE,subvp,GAUSSIAN", "NOISE,'ve:smin=0.01,smax=5',GAUSSIAN", "POTENTIAL,vp,GAUSSIAN",
        "POTENTIAL,'ou:theta=1,g=1,T=10',GAUSSIAN", "SCORE,vp,COVARIANCE", "NOISE,subvp,COVARIANCE", "POTENTIAL,vp,COVARIANCE",
        "POTENTIAL,'ou:theta=1,g=1,T=10',COVARIANCE"})
    void withASilentNetworkTheScoreIsTheGaussiansAndSolvesFokkerPlanck(Parameterisation p, String sdeSpec, Skip skip) {
        // Oracle: data N(μ, Σ) pushed through the linear SDE is exactly N(αμ, α²Σ + σ²I) (M1), whose score is
        // −(α²Σ + σ²I)⁻¹(x − αμ) and whose log-density solves M4 and whose score solves M5 with residual 0. With N ≡ 0 the
        // model is that Gaussian (isotropic skip: Σ = vI; covariance skip, d = K = 2: Σ the sample covariance, from an
        // independent 2 × 2 inverse here): the score must match to rounding (1e-12 relative) and the exact residuals
        // must vanish to rounding of their O(1)–O(10) terms (1e-9).
        Sde sde = Sdes.parse(sdeSpec);
        DataSet data = skip == Skip.COVARIANCE ? TILTED : DATA;
        Trainer tr = trainer(p, sdeSpec, 0, skip, data);
        double[] w = silentNetwork(tr);
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        double[] mu = tr.preconditioning().mean();
        double v = tr.preconditioning().variance();
        double[] cov = skip == Skip.COVARIANCE ? data.points().covariance() : new double[] {v, 0, 0, v};
        if (skip == Skip.COVARIANCE) {
            // a covariance with unequal eigenvalues and a non-zero off-diagonal, or the test could not tell M from c_in²I
            assertThat(Math.abs(cov[1])).isGreaterThan(0.05);
        }
        for (double frac : new double[] {0.05, 0.3, 0.9}) {
            double t = frac * sde.T();
            Batch x = ScoreErrors.perturbed(data.points(), sde, t, 24, RandomStream.of(4));
            double a = sde.alpha(t);
            double c00 = a * a * cov[0] + sde.sigma2(t);
            double c01 = a * a * cov[1];
            double c11 = a * a * cov[3] + sde.sigma2(t);
            double det = c00 * c11 - c01 * c01;
            double[] inv = {c11 / det, -c01 / det, -c01 / det, c00 / det};
            Batch got = s.score(x, t);
            for (int i = 0; i < x.size(); i++) {
                double e0 = x.get(i, 0) - a * mu[0];
                double e1 = x.get(i, 1) - a * mu[1];
                double[] want = {-(inv[0] * e0 + inv[1] * e1), -(inv[2] * e0 + inv[3] * e1)};
                for (int j = 0; j < 2; j++) {
                    assertThat(got.get(i, j)).isCloseTo(want[j], Offset.offset(1e-12 * Math.max(1, Math.abs(want[j]))));
                }
            }
            double[] ts = new double[x.size()];
            java.util.Arrays.fill(ts, t);
            double[] r = tr.net().residual(tr.net().weights(w), x.data(), ts, x.size());
            assertThat(maxAbs(r)).as("t = %s", t).isLessThan(1e-9);
            double[] jac = new double[x.size() * 4];
            s.jacobian(x, t, jac);
            for (int k = 0; k < 4; k++) {
                assertThat(jac[k]).isCloseTo(-inv[k], Offset.offset(1e-12 * Math.abs(inv[0])));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"SCORE,GAUSSIAN", "NOISE,GAUSSIAN", "POTENTIAL,GAUSSIAN", "SCORE,COVARIANCE", "NOISE,COVARIANCE", "POTENTIAL,COVARIANCE"})
    void exactResidualWithTheSkipEqualsTheFiniteDifferenceResidual(Parameterisation p, Skip skip) {
        // As in ScoreNetTest (central differences with h = 1e-3σ: ≈ 1e-7 relative truncation): a skip term missing
        // from ∂_t s, the Jacobian or the Laplacian would change the residual by O(1).
        ScoreNetTest.assertExactResidualMatchesFiniteDifferences(trainer(p, "vp", 0, skip), Sdes.parse("vp"), 0.3);
    }

    @ParameterizedTest
    @CsvSource({"SCORE,GAUSSIAN", "NOISE,GAUSSIAN", "POTENTIAL,GAUSSIAN", "NOISE,COVARIANCE", "POTENTIAL,COVARIANCE"})
    void lossGradientWithTheSkipMatchesFiniteDifferences(Parameterisation p, Skip skip) {
        // Same argument and tolerance as ScoreNetTest's gradient check (fourth-order differences, 1e-7 of the largest
        // entry): the skip does not depend on the weights, so only the residuals and DSM values move.
        ScoreNetTest.assertGradientMatchesFiniteDifferences(trainer(p, "vp", 0.5, skip), 12);
    }

    @Test
    void checkpointsKeepTheSkipAndFilesWithoutOneReadAsNone(@TempDir Path dir) {
        TrainConfig cfg = TrainConfig.builder().width(8).depth(2).fourier(2).steps(5).batch(16).validationSize(8)
                .skip(Skip.GAUSSIAN).seed(1).build();
        Trainer.Result r = new Trainer(cfg, DATA, Sdes.parse("vp")).train((a, b, c) -> { });
        Path f = dir.resolve("skip.pdm");
        r.checkpoint().write(f);
        Checkpoint back = Checkpoint.read(f);
        assertThat(back.architecture().skip()).isEqualTo(Skip.GAUSSIAN);
        assertThat(back.training().get("skip")).isEqualTo("gaussian");
        Batch x = Batch.zeros(3, 2);
        RandomStream.of(2).fillNormal(x, 0, 0);
        assertThat(NeuralScore.of(back).score(x, 0.4).data()).isEqualTo(r.score().score(x, 0.4).data());
        TrainConfig plain = TrainConfig.builder().width(8).depth(2).fourier(2).steps(5).batch(16).validationSize(8).seed(1).build();
        Checkpoint old = new Trainer(plain, DATA, Sdes.parse("vp")).train((a, b, c) -> { }).checkpoint();
        assertThat(new String(old.toBytes(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("skip");
        assertThat(Checkpoint.fromBytes(old.toBytes(), "old").architecture().skip()).isEqualTo(Skip.NONE);
        TrainConfig cov = TrainConfig.builder().width(8).depth(2).fourier(2).steps(5).batch(16).validationSize(8)
                .skip(Skip.COVARIANCE).seed(1).build();
        Trainer.Result rc = new Trainer(cov, DATA, Sdes.parse("vp")).train((a, b, c) -> { });
        Checkpoint backCov = Checkpoint.fromBytes(rc.checkpoint().toBytes(), "cov");
        assertThat(backCov.preconditioning()).isEqualTo(rc.checkpoint().preconditioning());
        assertThat(backCov.preconditioning().rank()).isEqualTo(2);
        assertThat(NeuralScore.of(backCov).score(x, 0.4).data()).isEqualTo(rc.score().score(x, 0.4).data());
    }

    @org.junit.jupiter.api.Test
    void theCovarianceModelKeepsTheLeadingEigenpairsAndTheMeanOfTheRest() {
        // 6-d data with K = min(d, 128) = 6 keeps everything: U diag(λ)Uᵀ must rebuild the covariance (1e-12), and U is
        // orthonormal. (K < d is the image case; ρ is then (tr Σ − Σλ)/(d − K), checked by its definition.)
        DataSet six = DataSets.parse("gaussian:d=6,n=400");
        Preconditioning pc = Preconditioning.withCovariance(six.points());
        double[] c = six.points().covariance();
        double[] u = pc.basis();
        double[] l = pc.eigenvalues();
        assertThat(pc.rank()).isEqualTo(6);
        for (int q = 1; q < 6; q++) {
            assertThat(l[q]).isLessThanOrEqualTo(l[q - 1]);
        }
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                double rebuilt = 0;
                double gram = 0;
                for (int q = 0; q < 6; q++) {
                    rebuilt += u[a * 6 + q] * l[q] * u[b * 6 + q];
                    gram += u[q * 6 + a] * u[q * 6 + b];
                }
                assertThat(rebuilt).isCloseTo(c[a * 6 + b], Offset.offset(1e-12));
                assertThat(gram).isCloseTo(a == b ? 1 : 0, Offset.offset(1e-12));
            }
        }
    }
}
