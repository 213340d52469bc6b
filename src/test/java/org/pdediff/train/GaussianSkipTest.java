package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
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

    private static Trainer trainer(Parameterisation p, String sde, double fpWeight) {
        TrainConfig cfg = TrainConfig.builder().param(p).activation(ActivationKind.SOFTPLUS).softplusBeta(4).width(12).depth(2)
                .fourier(2).batch(16).fpBatch(8).fpWeight(fpWeight).fpTmin(0.05).dtype(DataType.FLOAT64).seed(9).steps(1)
                .skip(Skip.GAUSSIAN).build();
        return new Trainer(cfg, DATA, Sdes.parse(sde));
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
    @CsvSource({"SCORE,vp", "NOISE,subvp", "NOISE,ve:smin=0.01,smax=5", "POTENTIAL,vp", "POTENTIAL,ou:theta=1,g=1,T=10"})
    void withASilentNetworkTheScoreIsTheGaussiansAndSolvesFokkerPlanck(Parameterisation p, String sdeSpec) {
        // Oracle: data N(μ, vI) pushed through the linear SDE is exactly N(αμ, (α²v + σ²)I) (M1), whose score is
        // −(x − αμ)/(α²v + σ²) and whose log-density solves M4 and whose score solves M5 with residual 0. With N ≡ 0 the
        // model is that Gaussian: the score must match to rounding (1e-12 relative) and the exact residuals must
        // vanish to rounding of their O(1)–O(10) terms (1e-9).
        Sde sde = Sdes.parse(sdeSpec);
        Trainer tr = trainer(p, sdeSpec, 0);
        double[] w = silentNetwork(tr);
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        double[] mu = tr.preconditioning().mean();
        double v = tr.preconditioning().variance();
        for (double frac : new double[] {0.05, 0.3, 0.9}) {
            double t = frac * sde.T();
            Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 24, RandomStream.of(4));
            double a = sde.alpha(t);
            double var = a * a * v + sde.sigma2(t);
            Batch got = s.score(x, t);
            for (int i = 0; i < x.size(); i++) {
                for (int j = 0; j < 2; j++) {
                    double want = -(x.get(i, j) - a * mu[j]) / var;
                    assertThat(got.get(i, j)).isCloseTo(want, Offset.offset(1e-12 * Math.max(1, Math.abs(want))));
                }
            }
            double[] ts = new double[x.size()];
            java.util.Arrays.fill(ts, t);
            double[] r = tr.net().residual(tr.net().weights(w), x.data(), ts, x.size());
            assertThat(maxAbs(r)).as("t = %s", t).isLessThan(1e-9);
            double[] jac = new double[x.size() * 4];
            s.jacobian(x, t, jac);
            assertThat(jac[0]).isCloseTo(-1 / var, Offset.offset(1e-12 / var));
            assertThat(jac[1]).isEqualTo(0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void exactResidualWithTheSkipEqualsTheFiniteDifferenceResidual(Parameterisation p) {
        // As in ScoreNetTest (central differences with h = 1e-3σ: ≈ 1e-7 relative truncation): a skip term missing
        // from ∂_t s, the Jacobian or the Laplacian would change the residual by O(1).
        Sde sde = Sdes.parse("vp");
        Trainer tr = trainer(p, "vp", 0);
        double[] w = tr.initialParameters();
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        double t = 0.3;
        Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 16, RandomStream.of(4));
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        double[] generic = p == Parameterisation.POTENTIAL
                ? FpResidual.logDensityResidual(s::potential, sde, x, t)
                : FpResidual.residual(s, x, t).data();
        double[] exact = tr.net().residual(tr.net().weights(w), x.data(), ts, x.size());
        double[] diff = new double[exact.length];
        for (int k = 0; k < diff.length; k++) {
            diff[k] = exact[k] - generic[k];
        }
        assertThat(maxAbs(generic)).isGreaterThan(1e-6);
        assertThat(maxAbs(diff)).isLessThan(1e-5 * maxAbs(generic));
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void lossGradientWithTheSkipMatchesFiniteDifferences(Parameterisation p) {
        // Same argument and tolerance as ScoreNetTest's gradient check (fourth-order differences, 1e-7 of the largest
        // entry): the skip does not depend on the weights, so only the residuals and DSM values move.
        Trainer tr = trainer(p, "vp", 0.5);
        double[] w = tr.initialParameters();
        Trainer.StepLoss sl = tr.loss(w, 3, true);
        assertThat(sl.fp()).isGreaterThan(0);
        double[] g = sl.gradient();
        double gmax = maxAbs(g);
        RandomStream pick = RandomStream.of(1);
        for (int c = 0; c < 12; c++) {
            int k = (int) (pick.uniform(c, 0) * w.length);
            double delta = 1e-3 * Math.max(1, Math.abs(w[k]));
            double[] f = new double[4];
            double[] steps = {delta, -delta, 2 * delta, -2 * delta};
            for (int j = 0; j < 4; j++) {
                double[] ws = w.clone();
                ws[k] += steps[j];
                f[j] = tr.loss(ws, 3, false).total();
            }
            double fd = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * delta);
            assertThat(g[k]).as("parameter %d", k).isCloseTo(fd, Offset.offset(1e-7 * gmax));
        }
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
    }
}
