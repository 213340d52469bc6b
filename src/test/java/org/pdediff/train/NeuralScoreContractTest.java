package org.pdediff.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.ScoreModelContract;
import org.pdediff.sde.Sdes;

/**
 * {@link ScoreModelContract} over trained checkpoints ({@code model:PATH}): small networks (width 8, depth 2, 20
 * steps) of every parameterisation; the contract holds for any weights, so training is short.
 */
class NeuralScoreContractTest extends ScoreModelContract {
    static Stream<Arguments> models() {
        DataSet data = DataSets.parse("moons:n=300");
        List<Arguments> out = new ArrayList<>();
        for (Parameterisation p : Parameterisation.values()) {
            Supplier<ScoreModel> make = () -> new Trainer(TrainConfig.builder().width(8).depth(2).fourier(2).steps(20)
                    .batch(32).param(p).validateEvery(10).validationSize(16).seed(4).build(), data, Sdes.parse("vp"))
                    .train((a, b, c) -> { }).score();
            out.add(Arguments.of("model " + p.key(), make));
        }
        return out.stream();
    }
}
