package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sdes;

/**
 * Training twice with one seed. Every random number is keyed by (seed, purpose, step, row) and the MLP engine's
 * arithmetic has a fixed order (no library kernels, no threads inside a step), so two runs with one seed give the same
 * bits, and a run with another seed differs at O(1).
 */
class DeterminismTest {
    private static final DataSet DATA = DataSets.parse("circles:n=400");

    private static double[] train(Parameterisation param, double fpWeight, long seed) {
        TrainConfig cfg = TrainConfig.builder().param(param).activation(ActivationKind.SOFTPLUS).softplusBeta(10)
                .width(10).depth(2).fourier(2).steps(30).batch(32).fpWeight(fpWeight).fpBatch(8).fpPoints(FpPoints.UNIFORM)
                .timeLaw(TimeLaw.parse("beta:a=1,b=2")).validateEvery(15).validationSize(16).seed(seed).build();
        Trainer.Result r = new Trainer(cfg, DATA, Sdes.parse("ou:theta=1,g=1,T=10")).train((a, b, c) -> { });
        return r.checkpoint().weights();
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void oneSeedReproducesTheWeightsAndAnotherSeedDoesNot(Parameterisation param) {
        for (double fp : new double[] {0, 0.1}) {
            double[] a = train(param, fp, 5);
            double[] b = train(param, fp, 5);
            double[] c = train(param, fp, 6);
            // The engine's arithmetic has a fixed order (no library kernels, no threads inside a step): same seed,
            // same bits.
            assertThat(b).as("%s, fp weight %s, same seed", param, fp).isEqualTo(a);
            assertThat(relDiff(a, c)).as("%s, fp weight %s, other seed", param, fp).isGreaterThan(0.1);
        }
    }

    @ParameterizedTest
    @EnumSource(Parameterisation.class)
    void aResumedTrainingGivesTheBitsOfAnUninterruptedOne(Parameterisation param) {
        java.util.function.IntFunction<TrainConfig> cfg = steps -> TrainConfig.builder().param(param)
                .activation(ActivationKind.SOFTPLUS).softplusBeta(10).width(10).depth(2).fourier(2).steps(steps).batch(32)
                .fpWeight(0.1).fpBatch(8).fpPoints(FpPoints.UNIFORM).validateEvery(10).validationSize(16).seed(5).build();
        org.pdediff.sde.Sde sde = Sdes.parse("ou:theta=1,g=1,T=10");
        Trainer.Result whole = new Trainer(cfg.apply(30), DATA, sde).train((a, b, c) -> { });
        Trainer.Result half = new Trainer(cfg.apply(12), DATA, sde).train((a, b, c) -> { });
        Trainer.Result rest = new Trainer(cfg.apply(30), DATA, sde).train((a, b, c) -> { }, half.state());
        assertThat(rest.checkpoint().weights()).isEqualTo(whole.checkpoint().weights());
        assertThat(rest.state().m()).isEqualTo(whole.state().m());
        // a resume with another option is refused with one line naming it
        TrainConfig other = TrainConfig.builder().param(param).activation(ActivationKind.SOFTPLUS).softplusBeta(10).width(10)
                .depth(2).fourier(2).steps(30).batch(64).fpWeight(0.1).fpBatch(8).fpPoints(FpPoints.UNIFORM).seed(5).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer(other, DATA, sde).train((a, b, c) -> { }, half.state()))
                .isInstanceOf(org.pdediff.core.InvalidInputException.class).hasMessageContaining("batch");
    }

    private static double relDiff(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < a.length; k++) {
            num += (a[k] - b[k]) * (a[k] - b[k]);
            den += a[k] * a[k];
        }
        return Math.sqrt(num / den);
    }
}
