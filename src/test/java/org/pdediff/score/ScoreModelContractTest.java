package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * The {@link ScoreModel} contract, run over every implementation of the score package: exact (M10), analytic (M11),
 * one datum (M12) and foreign TorchScript networks (score, noise and potential outputs). Trained checkpoints
 * ({@code model:PATH}) live in train/ and have their own tests.
 */
class ScoreModelContractTest {
    static final String TS = "src/test/resources/torchscript/";

    static Stream<Arguments> models() {
        DataSet ds = DataSets.parse("gaussian:mean=0.5,std=0.8,n=50");
        Sde vp = Sdes.parse("vp");
        List<Arguments> out = new ArrayList<>();
        Supplier<ScoreModel> exact = () -> Scores.create("exact", ds, vp);
        out.add(Arguments.of("exact", exact));
        out.add(Arguments.of("gmm", (Supplier<ScoreModel>) () -> Scores.create("gmm", ds, vp)));
        out.add(Arguments.of("one-datum", (Supplier<ScoreModel>) () -> new OneDatumScore(vp, new double[] {0.3, -0.2})));
        out.add(Arguments.of("torchscript mlp", (Supplier<ScoreModel>) () -> Scores.create("torchscript:" + TS + "mlp2.pt", ds, vp)));
        out.add(Arguments.of("torchscript potential", (Supplier<ScoreModel>) () ->
                Scores.create("torchscript:" + TS + "potential2.pt:output=potential", ds, vp)));
        out.add(Arguments.of("torchscript noise", (Supplier<ScoreModel>) () ->
                Scores.create("torchscript:" + TS + "gauss_noise_t.pt:output=noise", ds, vp)));
        return out.stream();
    }

    static Batch points(int n) {
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
    void contract(String name, Supplier<ScoreModel> make) throws Exception {
        ScoreModel m = make.get();
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
}
