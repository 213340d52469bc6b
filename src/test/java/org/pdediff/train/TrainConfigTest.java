package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdediff.nn.ActivationKind;

class TrainConfigTest {
    @Test
    void toBuilderKeepsEveryValue() {
        TrainConfig c = TrainConfig.builder().width(17).depth(4).activation(ActivationKind.SOFTPLUS).softplusBeta(7).fourier(3)
                .param(Parameterisation.POTENTIAL).steps(123).batch(45).lr(3e-3).warmup(9).lrStages(List.of(new double[] {50, 1e-4}))
                .gradClip(0).emaDecay(0.9).seed(11).weighting(Weighting.G2).epsTrain(1e-4).timeLaw(TimeLaw.parse("beta:a=1,b=2"))
                .fpWeight(0.5).fpPoints(FpPoints.UNIFORM).fpBatch(33).fpPower(1.5).fpWeighting(Weighting.ONE).fpTmin(1e-2).fpBox(4)
                .validateEvery(7).validationSize(21).timeInput(TimeInput.T).inputScaling(InputScaling.RAW).freshAdamPerStage(true)
                .freshData(true).build();
        TrainConfig copy = c.toBuilder().build();
        assertThat(copy).isEqualTo(c);
        assertThat(copy.toMap()).isEqualTo(c.toMap());
        assertThat(c.toBuilder().freshData(false).build().toMap()).containsEntry("fresh_data", false).containsEntry("batch", 45);
    }
}
