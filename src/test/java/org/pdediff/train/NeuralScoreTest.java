package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

class NeuralScoreTest {
    private static NeuralScore model(DataType eval) {
        Sde sde = Sdes.parse("vp");
        TrainConfig cfg = TrainConfig.builder().width(16).depth(2).steps(1).seed(3).build();
        Trainer tr = new Trainer(cfg, DataSets.parse("moons:n=200"), sde);
        return new NeuralScore(tr.architecture(), tr.preconditioning(), sde, tr.initialParameters(), eval);
    }

    @Test
    void concurrentCallsGiveTheSameResultsAsSequentialOnes() throws Exception {
        NeuralScore s = model(DataType.FLOAT64);
        List<Batch> inputs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            Batch x = Batch.zeros(50 + k, 2);
            RandomStream.of(k).fillNormal(x, 0, 0);
            inputs.add(x);
            expected.add(s.score(x, 0.05 + 0.05 * k).data());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> got = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                for (int k = 0; k < 16; k++) {
                    int kk = k;
                    got.add(pool.submit(() -> s.score(inputs.get(kk), 0.05 + 0.05 * kk).data()));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).get()).isEqualTo(expected.get(i % 16));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void float32EvaluationAgreesWithFloat64ToSinglePrecision() {
        // float32 rounding: about 1e-7 relative per operation, a few dozen operations deep: 1e-5 of the largest entry.
        Batch x = Batch.zeros(100, 2);
        RandomStream.of(1).fillNormal(x, 0, 0);
        double[] a = model(DataType.FLOAT64).score(x, 0.3).data();
        double[] b = model(DataType.FLOAT32).score(x, 0.3).data();
        // the same weights switched to float32 evaluation are the float32 model, bit for bit
        NeuralScore f64 = model(DataType.FLOAT64);
        assertThat(f64.withEvaluation(DataType.FLOAT64)).isSameAs(f64);
        assertThat(f64.withEvaluation(DataType.FLOAT32).evaluation()).isEqualTo(DataType.FLOAT32);
        assertThat(f64.withEvaluation(DataType.FLOAT32).score(x, 0.3).data()).containsExactly(b);
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        for (int k = 0; k < a.length; k++) {
            assertThat(b[k]).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-5 * max));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"SCORE,SILU,vp", "NOISE,SOFTPLUS,ve:smin=0.01,smax=5", "POTENTIAL,SILU,subvp",
            "POTENTIAL,SOFTPLUS,ou:theta=1,g=1,T=10"})
    void exactJacobianMatchesCentralDifferencesOfTheScore(Parameterisation p, ActivationKind act, String sdeSpec) {
        // Forward-mode Jacobian (plain Java) vs central differences of the DJL float64 score with h = 1e-5·σ(t):
        // truncation (h/σ)²·|∇s| ≈ 1e-10 relative, rounding 1e-16·|s|/h ≈ 1e-10 / σ: tolerance 1e-6 of the largest entry.
        Sde sde = Sdes.parse(sdeSpec);
        TrainConfig cfg = TrainConfig.builder().param(p).activation(act).softplusBeta(3).width(12).depth(3).steps(1).seed(8).build();
        Trainer tr = new Trainer(cfg, DataSets.parse("moons:n=200"), sde);
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, tr.initialParameters(), DataType.FLOAT64);
        double t = 0.2 * sde.T();
        Batch x = ScoreErrors.perturbed(DataSets.parse("moons:n=200").points(), sde, t, 10, RandomStream.of(2));
        double[] j = new double[x.size() * 4];
        s.jacobian(x, t, j);
        double h = 1e-5 * sde.sigma(t);
        double max = 0;
        for (double v : j) {
            max = Math.max(max, Math.abs(v));
        }
        for (int b = 0; b < 2; b++) {
            Batch xp = x.copy();
            Batch xm = x.copy();
            for (int i = 0; i < x.size(); i++) {
                xp.set(i, b, xp.get(i, b) + h);
                xm.set(i, b, xm.get(i, b) - h);
            }
            double[] sp = s.score(xp, t).data();
            double[] sm = s.score(xm, t).data();
            for (int i = 0; i < x.size(); i++) {
                for (int a = 0; a < 2; a++) {
                    double fd = (sp[i * 2 + a] - sm[i * 2 + a]) / (2 * h);
                    assertThat(j[i * 4 + a * 2 + b]).as("point %d, ds_%d/dx_%d", i, a, b).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * max));
                }
            }
        }
        double[] div = new double[x.size()];
        s.divergence(x, t, div);
        assertThat(div[3]).isEqualTo(j[12] + j[15]);
        if (p == Parameterisation.POTENTIAL) {
            for (int i = 0; i < x.size(); i++) {
                assertThat(j[i * 4 + 1]).as("a gradient field has a symmetric Jacobian").isCloseTo(j[i * 4 + 2], org.assertj.core.data.Offset.offset(1e-12 * max));
            }
        }
    }

    @Test
    void refusesNonPositiveTimesAndWrongDimensions() {
        NeuralScore s = model(DataType.FLOAT64);
        assertThatThrownBy(() -> s.score(Batch.zeros(1, 2), 0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("t > 0");
        assertThatThrownBy(() -> s.score(Batch.zeros(1, 3), 0.5)).isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> s.potential(Batch.zeros(1, 2), 0.5)).isInstanceOf(InvalidInputException.class).hasMessageContaining("no potential");
    }
}
