package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.nn.ActivationKind;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/** Training with fresh draws from the data set's law at every step (P3's DSM). */
class FreshDataTest {
    private static final Sde OU = Sdes.parse("ou:theta=1,g=1,T=10");

    private static TrainConfig cfg(boolean fresh, int steps, FpPoints points) {
        return TrainConfig.builder().param(Parameterisation.POTENTIAL).activation(ActivationKind.SOFTPLUS).softplusBeta(10)
                .width(10).depth(2).fourier(2).steps(steps).batch(32).fpWeight(0.1).fpBatch(8).fpPoints(points)
                .validateEvery(10).validationSize(16).seed(3).freshData(fresh).build();
    }

    @Test
    void redrawGivesTheSameLawWithOtherPoints() {
        DataSet ds = DataSets.parse("moons:n=100,seed=0,noise=0.1");
        DataSet a = DataSets.redraw(ds, 50, 7);
        assertThat(a.spec()).isEqualTo("moons:n=50,seed=7,noise=0.1");
        assertThat(a.points().data()).isEqualTo(DataSets.parse("moons:n=50,seed=7,noise=0.1").points().data());
        assertThat(a.points().row(0)).isNotEqualTo(ds.points().row(0));
        assertThatThrownBy(() -> DataSets.redraw(DataSets.parse("digits:n=10"), 5, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a law");
    }

    @Test
    void freshDrawsAreReproducibleResumableAndDifferFromTheFixedSample() {
        DataSet ds = DataSets.parse("circles:n=40");
        // perturbed collocation: both the DSM and the collocation points are fresh draws
        for (FpPoints points : new FpPoints[] {FpPoints.PERTURBED}) {
            double[] a = new Trainer(cfg(true, 20, points), ds, OU).train((x, y, z) -> { }).checkpoint().weights();
            double[] b = new Trainer(cfg(true, 20, points), ds, OU).train((x, y, z) -> { }).checkpoint().weights();
            double[] fixed = new Trainer(cfg(false, 20, points), ds, OU).train((x, y, z) -> { }).checkpoint().weights();
            assertThat(b).as("%s: same seed, same bits", points).isEqualTo(a);
            assertThat(fixed).as("%s: the fixed sample is another trajectory", points).isNotEqualTo(a);
            Trainer.Result half = new Trainer(cfg(true, 8, points), ds, OU).train((x, y, z) -> { });
            double[] resumed = new Trainer(cfg(true, 20, points), ds, OU).train((x, y, z) -> { }, half.state()).checkpoint().weights();
            assertThat(resumed).as("%s: resumed = uninterrupted", points).isEqualTo(a);
            // a state of a fixed-sample training is not continued with fresh draws
            Trainer.Result fixedHalf = new Trainer(cfg(false, 8, points), ds, OU).train((x, y, z) -> { });
            assertThatThrownBy(() -> new Trainer(cfg(true, 20, points), ds, OU).train((x, y, z) -> { }, fixedHalf.state()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("fresh_data");
        }
    }

    @Test
    void freshDrawsOfAFixedListAreRefused() {
        assertThatThrownBy(() -> new Trainer(cfg(true, 5, FpPoints.UNIFORM), DataSets.parse("points:n=8"), OU))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("fresh data draws");
    }
}
