package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sdes;

class DeterminismTest {
    private static final DataSet DATA = DataSets.parse("circles:n=400");

    private static double[][] train(long seed) {
        TrainConfig cfg = TrainConfig.builder().param(Parameterisation.POTENTIAL).activation(ActivationKind.SOFTPLUS).softplusBeta(10)
                .width(10).depth(2).fourier(2).steps(30).batch(32).fpWeight(0.1).fpBatch(8).fpPoints(FpPoints.UNIFORM)
                .timeLaw(TimeLaw.parse("beta:a=1,b=2")).validateEvery(15).validationSize(16).seed(seed).build();
        Trainer.Result r = new Trainer(cfg, DATA, Sdes.parse("ou:theta=1,g=1,T=10")).train((a, b, c) -> { });
        return new double[][] {r.checkpoint().weights(), r.checkpoint().params()};
    }

    @Test
    void oneSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() {
        double[][] a = train(5);
        double[][] b = train(5);
        double[][] c = train(6);
        assertThat(a[0]).isEqualTo(b[0]);
        assertThat(a[1]).isEqualTo(b[1]);
        assertThat(a[0]).isNotEqualTo(c[0]);
    }
}
