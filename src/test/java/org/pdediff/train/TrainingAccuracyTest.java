package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

class TrainingAccuracyTest {
    @Test
    void smallNetworkLearnsTheAnalyticScoreOfGaussianData() {
        DataSet data = DataSets.parse("gaussian:d=2,mean=1,std=0.5,n=4000");
        Sde sde = Sdes.parse("vp");
        TrainConfig cfg = TrainConfig.builder().width(32).depth(2).steps(800).batch(512).lr(3e-3).warmup(50).lrStages(java.util.List.of(new double[] {500, 1e-3}))
                .emaDecay(0.995).seed(1).build();
        long t0 = System.nanoTime();
        Trainer.Result r = new Trainer(cfg, data, sde).train((a, b, c) -> { });
        System.out.println("train s " + (System.nanoTime() - t0) * 1e-9 + " steps/s " + r.stepsPerSecond());
        GaussianMixtureScore ref = new GaussianMixtureScore(sde, data.law().orElseThrow());
        double[] ts = {0.1, 0.25, 0.5, 0.75, 1.0};
        double[] err = ScoreErrors.relativeL2(r.score(), ref, data.points(), ts, 2000, RandomStream.of(7));
        for (Trainer.LogRow row : r.log()) {
            System.out.println(row);
        }
        System.out.println(java.util.Arrays.toString(err));
        for (double e : err) {
            assertThat(e).isLessThan(0.05);
        }
    }
}
