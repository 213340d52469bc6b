package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/** The network graph: the hand-written potential gradient, the in-graph FP residual and its parameter gradient. */
class NeuralGraphTest {
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
    @EnumSource(ActivationKind.class)
    void potentialScoreIsTheGradientOfThePotential(ActivationKind act) {
        // s = ∇ₓφ by the hand-written VJP vs central differences of φ with h = 1e-4 (float64): truncation
        // h²|φ'''|/6 ≈ 1e-9 and rounding 1e-16|φ|/h ≈ 1e-12, against scores of order 1.
        Trainer tr = trainer(Parameterisation.POTENTIAL, act, "vp", 0, DataType.FLOAT64);
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), Sdes.parse("vp"), tr.initialParameters(), DataType.FLOAT64);
        Batch x = ScoreErrors.perturbed(DATA.points(), s.sde(), 0.4, 20, RandomStream.of(2));
        double t = 0.4;
        double[] sc = s.score(x, t).data();
        double h = 1e-4;
        double[] fd = new double[sc.length];
        for (int k = 0; k < 2; k++) {
            Batch p = x.copy();
            Batch m = x.copy();
            for (int i = 0; i < x.size(); i++) {
                p.set(i, k, p.get(i, k) + h);
                m.set(i, k, m.get(i, k) - h);
            }
            double[] fp = s.potential(p, t);
            double[] fm = s.potential(m, t);
            for (int i = 0; i < x.size(); i++) {
                fd[i * 2 + k] = (fp[i] - fm[i]) / (2 * h);
            }
        }
        double[] diff = new double[sc.length];
        for (int k = 0; k < sc.length; k++) {
            diff[k] = sc[k] - fd[k];
        }
        assertThat(maxAbs(sc)).isGreaterThan(1e-3);
        assertThat(maxAbs(diff)).isLessThan(1e-7 * Math.max(1, maxAbs(sc)));
    }

    @ParameterizedTest
    @CsvSource({"SCORE,vp", "NOISE,subvp", "NOISE,ve:smin=0.01,smax=5", "POTENTIAL,ou:theta=1,g=1,T=10"})
    void inGraphResidualEqualsTheGenericResidualOfTheSameNetwork(Parameterisation p, String sdeSpec) {
        // Same differences, same steps, both in float64: equal up to rounding amplified by 1/h² (≈ 1e-16/1e-6).
        Sde sde = Sdes.parse(sdeSpec);
        Trainer tr = trainer(p, ActivationKind.SILU, sdeSpec, 0, DataType.FLOAT64);
        double[] w = tr.initialParameters();
        NeuralScore s = new NeuralScore(tr.architecture(), tr.preconditioning(), sde, w, DataType.FLOAT64);
        double t = 0.3 * sde.T();
        Batch x = ScoreErrors.perturbed(DATA.points(), sde, t, 16, RandomStream.of(4));
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        double[] generic = p == Parameterisation.POTENTIAL
                ? FpResidual.logDensityResidual(s::potential, sde, x, t)
                : FpResidual.residual(s, x, t).data();
        double[] graph;
        try (NDManager m = NeuralScore.root().newSubManager()) {
            MlpGraph g = new MlpGraph(tr.architecture(), tr.preconditioning(), sde);
            NDList params = g.params(m, w, DataType.FLOAT64, false);
            NDArray r = new FpRegulariser(g, sde).residual(m, params, x.data(), ts, x.size());
            graph = r.toDoubleArray();
        }
        assertThat(graph).hasSameSizeAs(generic);
        double[] diff = new double[graph.length];
        for (int k = 0; k < diff.length; k++) {
            diff[k] = graph[k] - generic[k];
        }
        assertThat(maxAbs(generic)).isGreaterThan(1e-6);
        assertThat(maxAbs(diff)).isLessThan(1e-6 * maxAbs(generic));
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void regularisedLossGradientMatchesFiniteDifferencesOfTheLoss(Parameterisation p) {
        // float64 throughout. Fourth-order central difference with δ = 1e-4·max(1, |w_k|): truncation δ⁴|L⁽⁵⁾|/30 is
        // negligible, rounding of the loss (its FP residual carries 1e-16/h² ≈ 1e-10 relative noise) over δ gives
        // ≈ 1e-6 relative: tolerance 1e-4 of the largest gradient entry. (The former second-order stencil with
        // δ = 1e-5 amplified the residual's rounding noise to ≈ 1e-4 and failed now and then.)
        Trainer tr = trainer(p, ActivationKind.SOFTPLUS, "vp", 0.5, DataType.FLOAT64);
        double[] w = tr.initialParameters();
        Trainer.StepLoss sl = tr.loss(w, 3, true);
        assertThat(sl.fp()).isGreaterThan(0);
        double[] g = sl.gradient();
        double gmax = maxAbs(g);
        RandomStream pick = RandomStream.of(1);
        for (int c = 0; c < 12; c++) {
            int k = (int) (pick.uniform(c, 0) * w.length);
            double delta = 1e-4 * Math.max(1, Math.abs(w[k]));
            double[] f = new double[4];
            double[] steps = {delta, -delta, 2 * delta, -2 * delta};
            for (int j = 0; j < 4; j++) {
                double[] ws = w.clone();
                ws[k] += steps[j];
                f[j] = tr.loss(ws, 3, false).total();
            }
            double fd = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * delta);
            assertThat(g[k]).as("parameter %d", k).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-4 * gmax));
        }
    }

    @Test
    void float32TrainingGradientAgreesWithFloat64() {
        // Plain DSM in float32 vs float64 on the same (float-rounded) weights: equal up to float32 rounding (≈ 1e-7
        // relative per operation, 1e-4 of the largest entry after accumulation over the batch). With the FP penalty
        // on, every pass runs in float64, so the two precisions give the same gradient to rounding of the weights.
        for (double fpw : new double[] {0, 0.5}) {
            Trainer t32 = trainer(Parameterisation.POTENTIAL, ActivationKind.SILU, "vp", fpw, DataType.FLOAT32);
            Trainer t64 = trainer(Parameterisation.POTENTIAL, ActivationKind.SILU, "vp", fpw, DataType.FLOAT64);
            double[] w = t32.initialParameters();
            double[] g32 = t32.loss(w, 2, true).gradient();
            double[] g64 = t64.loss(w, 2, true).gradient();
            double gmax = maxAbs(g64);
            for (int k = 0; k < w.length; k++) {
                assertThat(g32[k]).as("fp weight %s, parameter %d", fpw, k).isCloseTo(g64[k],
                        org.assertj.core.data.Offset.offset((fpw > 0 ? 1e-12 : 1e-4) * gmax));
            }
        }
    }
}
