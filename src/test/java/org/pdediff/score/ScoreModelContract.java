package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.sde.Sde;

/**
 * The {@link ScoreModel} contract, written once and run over every implementation (the way EJML runs one generic test
 * over every decomposition): a concrete suite supplies {@code static Stream<Arguments> models()} of (name, supplier of
 * a 2-D model) — {@link ScoreModelContractTest} for the score package, {@code train.NeuralScoreContractTest} for
 * trained checkpoints. Capabilities are checked where the model has them: {@link WithJacobian} against central
 * differences of the score, {@link WithDivergence} against the Jacobian's trace, {@link WithLogDensity} against central
 * differences of the log-density.
 */
public abstract class ScoreModelContract {
    static final String TS = "src/test/resources/torchscript/";

    protected static Batch points(int n) {
        Batch x = Batch.zeros(n, 2);
        RandomStream.of(11).fillNormal(x, 0, 0);
        return x;
    }

    /**
     * Shape, input untouched, finite values; the score of a point does not depend on its batch (bit for bit);
     * concurrent calls give the same values; divergence = trace of the Jacobian (rounding: 1e-12 relative); the
     * Jacobian agrees with central differences of the score, step 1e-5σ (truncation 1e-10·|∂³s|σ², rounding
     * 1e-16/1e-5 relative to |s|/σ: tolerance 1e-6 relative to |s|/σ + |∇s|); Tweedie's denoiser is (x + σ²s)/α.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    public void contract(String name, Supplier<ScoreModel> make) throws Exception {
        ScoreModel model = make.get();
        if (model instanceof WithLogDensity l) {
            logDensityContract(name, l);
        }
        ScoreModel m = model;
        Sde sde = m.sde();
        assertThat(m.dim()).isEqualTo(2);
        assertThat(m.describe()).isNotBlank();
        Batch x = points(40);
        Batch keep = x.copy();
        for (double t : new double[] {0.05, 0.5}) {
            Batch s = m.score(x, t);
            assertThat(x.data()).as(name).containsExactly(keep.data());
            assertThat(s.size()).isEqualTo(40);
            for (double v : s.data()) {
                assertThat(Double.isFinite(v)).as(name).isTrue();
            }
            Batch part = Batch.zeros(3, 2);
            for (int i = 0; i < 3; i++) {
                part.set(i, 0, x.get(20 + i, 0));
                part.set(i, 1, x.get(20 + i, 1));
            }
            Batch sp = m.score(part, t);
            for (int i = 0; i < 3; i++) {
                assertThat(sp.get(i, 0)).as(name + " batch independence").isEqualTo(s.get(20 + i, 0));
                assertThat(sp.get(i, 1)).as(name + " batch independence").isEqualTo(s.get(20 + i, 1));
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Batch>> fs = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    fs.add(pool.submit(() -> m.score(x, t)));
                }
                for (Future<Batch> f : fs) {
                    assertThat(f.get().data()).as(name + " concurrent").containsExactly(s.data());
                }
            } finally {
                pool.shutdown();
            }
            Batch den = Batch.zeros(40, 2);
            m.denoise(x, t, den);
            for (int k = 0; k < 80; k++) {
                double want = (x.data()[k] + sde.sigma2(t) * s.data()[k]) / sde.alpha(t);
                assertThat(den.data()[k]).isCloseTo(want, Offset.offset(1e-12 * (Math.abs(want) + 1)));
            }
            if (m instanceof WithJacobian wj) {
                double[] jac = new double[40 * 4];
                wj.jacobian(x, t, jac);
                double h = 1e-5 * sde.sigma(t);
                for (int b = 0; b < 2; b++) {
                    Batch xp = x.copy();
                    Batch xm = x.copy();
                    for (int i = 0; i < 40; i++) {
                        xp.set(i, b, x.get(i, b) + h);
                        xm.set(i, b, x.get(i, b) - h);
                    }
                    Batch p = m.score(xp, t);
                    Batch q = m.score(xm, t);
                    for (int i = 0; i < 40; i++) {
                        for (int a = 0; a < 2; a++) {
                            double fd = (p.get(i, a) - q.get(i, a)) / (2 * h);
                            double scale = Math.hypot(s.get(i, 0), s.get(i, 1)) / sde.sigma(t) + Math.abs(fd);
                            assertThat(jac[i * 4 + a * 2 + b]).as("%s J[%d][%d] t=%s", name, a, b, t)
                                    .isCloseTo(fd, Offset.offset(1e-6 * scale));
                        }
                    }
                }
                if (m instanceof WithDivergence wd) {
                    double[] div = new double[40];
                    wd.divergence(x, t, div);
                    for (int i = 0; i < 40; i++) {
                        double tr = jac[i * 4] + jac[i * 4 + 3];
                        assertThat(div[i]).as(name + " div = tr J").isCloseTo(tr, Offset.offset(1e-12 * (Math.abs(tr) + 1 / sde.sigma2(t))));
                    }
                }
            }
        }
    }

    /**
     * s = ∇ log p_t: central differences of the log-density, step h = 1e-4σ (truncation h²|∂³ log p| ≈ 1e-8|s|,
     * rounding |log p|·1e-16/h ≈ 1e-11/σ): tolerance 1e-6 relative to |s| + 1/σ.
     */
    static void logDensityContract(String name, WithLogDensity m) {
        Batch x = points(30);
        for (double t : new double[] {0.05, 0.5}) {
            Batch s = m.score(x, t);
            double h = 1e-4 * m.sde().sigma(t);
            double[] lp = new double[30];
            double[] lm = new double[30];
            for (int b = 0; b < 2; b++) {
                Batch xp = x.copy();
                Batch xm = x.copy();
                for (int i = 0; i < 30; i++) {
                    xp.set(i, b, x.get(i, b) + h);
                    xm.set(i, b, x.get(i, b) - h);
                }
                m.logDensity(xp, t, lp);
                m.logDensity(xm, t, lm);
                for (int i = 0; i < 30; i++) {
                    double fd = (lp[i] - lm[i]) / (2 * h);
                    double scale = Math.abs(s.get(i, b)) + 1 / m.sde().sigma(t);
                    assertThat(s.get(i, b)).as("%s d/dx%d log p, t=%s", name, b, t).isCloseTo(fd, Offset.offset(1e-6 * scale));
                }
            }
        }
    }
}
