package org.pdediff.score;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * {@link ScoreModelContract} over every implementation of the score package: exact (M10, with log-density), analytic
 * (M11, with log-density), one datum (M12, with log-density) and foreign TorchScript networks (score, noise and
 * potential outputs).
 */
class ScoreModelContractTest extends ScoreModelContract {
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
}
