package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.nn.ActivationKind;
import org.pdediff.nn.MlpWeights;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/** The engine-backed network of training: its score, its exact FP residuals and the gradient of the loss. */
class ScoreNetTest {
    private static final DataSet DATA = DataSets.parse("gmm:k=3,radius=1.5,std=0.4,n=300");

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static Trainer trainer(Parameterisation p, ActivationKind act, String sde, double fpWeight, DataType dt) {
        TrainConfig cfg = TrainConfig.builder().param(p).activation(act).softplusBeta(4).width(12).depth(2).fourier(2)
                .batch(16).fpBatch(8).fpWeight(fpWeight).fpTmin(0.05).dtype(dt).seed(9).steps(1).build();
        return new Trainer(cfg, DATA, Sdes.parse(sde));
    }

    @ParameterizedTest
    @CsvSource({"SCORE,vp", "NOISE,subvp", "POTENTIAL,vp", "POTENTIAL,ou:theta=1,g=1,T=10"})
    void engineScoreEqualsTheDjlReferenceScore(Parameterisation p, String sdeSpec) {
        // Two float64 evaluations of one network by different code (libtorch and the engine): equal to rounding,
        // ≈ 1e-15 relative per operation over a few hundred operations.
        Sde sde = Sdes.parse(sdeSpec);
        Trainer tr = trainer(p, ActivationKind.SILU, sdeSpec, 0, DataType.FLOAT64);
        double[] w = tr.initialParameters();
        double t = 0.3 * sde.T();
        Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 40, RandomStream.of(4));
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        double[] want;
        try (ai.djl.ndarray.NDManager m = MlpGraph.root().newSubManager()) {
            MlpGraph g = new MlpGraph(tr.architecture(), tr.preconditioning(), sde);
            want = g.score(m, g.params(m, w, DataType.FLOAT64, false), g.rows(x.data(), t, x.size()), DataType.FLOAT64)
                    .toDoubleArray();
        }
        double[] got = tr.net().score(tr.net().weights(w), x.data(), ts, x.size());
        for (int k = 0; k < want.length; k++) {
            assertThat(got[k]).isCloseTo(want[k], Offset.offset(1e-12 * Math.max(1, maxAbs(want))));
        }
    }

    /**
     * The exact residual of the trainer's network at its initial weights against {@link ScoreDiagnostics}' finite
     * differences at 16 perturbed data points at t: agreement to 1e-5 of the residual's size (see the callers).
     */
    static void assertExactResidualMatchesFiniteDifferences(Trainer tr, Sde sde, double t) {
        double[] w = tr.initialParameters();
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 16, RandomStream.of(4));
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        double[] generic = tr.architecture().parameterisation() == Parameterisation.POTENTIAL
                ? ScoreDiagnostics.logDensityResidual(s::potential, sde, x, t)
                : ScoreDiagnostics.residual(s, x, t).data();
        double[] exact = tr.net().residual(tr.net().weights(w), x.data(), ts, x.size());
        assertThat(exact).hasSameSizeAs(generic);
        double[] diff = new double[exact.length];
        for (int k = 0; k < diff.length; k++) {
            diff[k] = exact[k] - generic[k];
        }
        assertThat(maxAbs(generic)).isGreaterThan(1e-6);
        assertThat(maxAbs(diff)).isLessThan(1e-5 * maxAbs(generic));
    }

    /**
     * The loss gradient of step 3 at the initial weights against fourth-order central differences of the loss in
     * {@code checks} random coordinates, to 1e-7 of the largest gradient entry (see the callers).
     */
    static void assertGradientMatchesFiniteDifferences(Trainer tr, int checks) {
        double[] w = tr.initialParameters();
        Trainer.StepLoss sl = tr.loss(w, 3, true);
        assertThat(sl.fp()).isGreaterThan(0);
        double[] g = sl.gradient();
        double gmax = maxAbs(g);
        RandomStream pick = RandomStream.of(1);
        for (int c = 0; c < checks; c++) {
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

    @ParameterizedTest
    @CsvSource({"SCORE,vp", "NOISE,subvp", "NOISE,ve:smin=0.01,smax=5", "POTENTIAL,ou:theta=1,g=1,T=10", "POTENTIAL,vp"})
    void exactResidualEqualsTheFiniteDifferenceResidualUpToItsTruncation(Parameterisation p, String sdeSpec) {
        // FpResidual differentiates the same network with steps h = 1e-3σ in x and τ = 1e-3·min(t, σ²/g²) in t:
        // central differences err by h²|∂³|/6 and τ²|∂_t³|/6, ≈ 1e-7 relative for these O(1)-scale networks, plus
        // rounding 1e-16/h² ≈ 1e-10. The exact residual must agree to 1e-5 of the residual's size, and a residual
        // computed with one wrong term (e.g. a missing factor ½) would differ by O(1).
        Sde sde = Sdes.parse(sdeSpec);
        assertExactResidualMatchesFiniteDifferences(trainer(p, ActivationKind.SILU, sdeSpec, 0, DataType.FLOAT64), sde, 0.3 * sde.T());
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void p3InputsPlainTimeAndRawXGiveExactResidualsToo(Parameterisation p) {
        // As above (same tolerance argument), for the network of P3: inputs (x, t) unscaled.
        Sde sde = Sdes.parse("ou:theta=1,g=1,T=10");
        TrainConfig cfg = TrainConfig.builder().param(p).activation(ActivationKind.SOFTPLUS).softplusBeta(4).width(12).depth(2)
                .timeInput(TimeInput.T).inputScaling(InputScaling.RAW).batch(16).seed(9).steps(1).build();
        Trainer tr = new Trainer(cfg, DATA, sde);
        assertThat(tr.architecture().embedding()).isEqualTo(1);
        double[] w = tr.initialParameters();
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        double t = 0.7;
        Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 16, RandomStream.of(4));
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        double[] generic = p == Parameterisation.POTENTIAL
                ? ScoreDiagnostics.logDensityResidual(s::potential, sde, x, t)
                : ScoreDiagnostics.residual(s, x, t).data();
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
    void regularisedLossGradientMatchesFiniteDifferencesOfTheLoss(Parameterisation p) {
        // float64, exact residuals: the loss is a smooth function of the weights computed to ≈ 1e-16 relative.
        // Fourth-order central difference with δ = 1e-3·max(1, |w_k|): truncation δ⁴|L⁽⁵⁾|/30 ≈ 1e-12·|L⁽⁵⁾|,
        // rounding 1e-16|L|/δ ≈ 1e-13: tolerance 1e-7 of the largest gradient entry.
        assertGradientMatchesFiniteDifferences(trainer(p, ActivationKind.SOFTPLUS, "vp", 0.5, DataType.FLOAT64), 16);
    }

    @Test
    void float32TrainingGradientAgreesWithFloat64() {
        // Same (float-rounded) weights in float32 and float64, with and without the FP penalty: equal up to float32
        // rounding (≈ 6e-8 relative per operation; the penalty's second-order channels and squares of residuals
        // lose about two digits more): tolerances 1e-4 (DSM) and 1e-3 (with FP) of the largest entry.
        for (double fpw : new double[] {0, 0.5}) {
            for (Parameterisation p : Parameterisation.values()) {
                Trainer t32 = trainer(p, ActivationKind.SILU, "vp", fpw, DataType.FLOAT32);
                Trainer t64 = trainer(p, ActivationKind.SILU, "vp", fpw, DataType.FLOAT64);
                double[] w = t32.initialParameters();
                double[] g32 = t32.loss(w, 2, true).gradient();
                double[] g64 = t64.loss(w, 2, true).gradient();
                double gmax = maxAbs(g64);
                for (int k = 0; k < w.length; k++) {
                    assertThat(g32[k]).as("%s fp weight %s, parameter %d", p, fpw, k).isCloseTo(g64[k],
                            Offset.offset((fpw > 0 ? 1e-3 : 1e-4) * gmax));
                }
            }
        }
    }

    @Test
    void gradientDoesNotDependOnHowRowsFallIntoBlocks() {
        // The batch of 300 rows spans three blocks; computing it as one batch or row by row gives the same value
        // and, summed in the same block order, the same loss bits for each row.
        Trainer tr = trainer(Parameterisation.SCORE, ActivationKind.SILU, "vp", 0, DataType.FLOAT32);
        ScoreNet net = tr.net();
        MlpWeights w = net.weights(tr.initialParameters());
        Batch x = ScoreErrors.perturbed(DATA.points(), Sdes.parse("vp"), 0.2, 300, RandomStream.of(8));
        double[] ts = new double[300];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 0.05 + 0.9 * i / 300.0;
        }
        double[] all = net.score(w, x.data(), ts, 300);
        for (int i = 0; i < 300; i += 37) {
            double[] one = net.score(w, java.util.Arrays.copyOfRange(x.data(), 2 * i, 2 * i + 2), new double[] {ts[i]}, 1);
            assertThat(one[0]).isEqualTo(all[2 * i]);
            assertThat(one[1]).isEqualTo(all[2 * i + 1]);
        }
    }
}
