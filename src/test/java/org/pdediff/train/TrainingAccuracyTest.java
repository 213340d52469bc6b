package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * A small network learns the analytic score of Gaussian data: relative L² error under 5% for t ∈ [0.1, 1] (issue 5).
 *
 * <p>Why 50 000 training points: DSM's minimiser over all functions is the exact score of the EMPIRICAL data (M10),
 * which differs from the analytic score of the law by the sampling error of a kernel estimate of bandwidth σ(t)/α(t).
 * At t = 0.1 (VP) that gap is 5.5% for 4 000 points and 2.3% for 50 000 (asserted below), so only the larger set
 * leaves room for a 5% bound on what the network itself adds. Training starts at ε_train = 10⁻³ (the test asks
 * nothing below 0.1) with batch 2048 and a decaying learning rate, which keeps the SGD noise of the final weights
 * small. Noise outputs (the default) and potential outputs (P3's conservative form, whose score is the
 * hand-written gradient of the MLP) are trained; score outputs learn the same function (measured: 2.8% at t = 0.1).
 */
@Tag("slow")
class TrainingAccuracyTest {
    private static final DataSet DATA = DataSets.parse("gaussian:d=2,mean=1,std=0.5,n=50000");
    private static final double[] TIMES = {0.1, 0.25, 0.5, 0.75, 1.0};

    @ParameterizedTest
    @EnumSource(value = Parameterisation.class, names = {"NOISE", "POTENTIAL"})
    void smallNetworkLearnsTheAnalyticScoreOfGaussianData(Parameterisation param) {
        Sde sde = Sdes.parse("vp");
        GaussianMixtureScore ref = new GaussianMixtureScore(sde, DATA.law().orElseThrow());
        double floor = ScoreErrors.relativeL2(new FiniteDataScore(sde, DATA.points()), ref, DATA.points(), new double[] {0.1},
                500, RandomStream.of(7))[0];
        assertThat(floor).as("empirical-data floor at t = 0.1").isLessThan(0.03);

        TrainConfig cfg = TrainConfig.builder().param(param).width(32).depth(2).steps(1000).batch(2048).lr(3e-3).warmup(50)
                .lrStages(List.of(new double[] {600, 1e-3}, new double[] {850, 3e-4})).emaDecay(0.99).epsTrain(1e-3)
                .validateEvery(250).validationSize(256).seed(1).build();
        Trainer.Result r = new Trainer(cfg, DATA, sde).train((a, b, c) -> { });
        double[] err = ScoreErrors.relativeL2(r.score(), ref, DATA.points(), TIMES, 2000, RandomStream.of(7));
        for (int k = 0; k < TIMES.length; k++) {
            assertThat(err[k]).as("%s, t = %s", param, TIMES[k]).isLessThan(0.05);
        }
        // the log's validation error (mean over 0.1T..T) is the same quantity on other points
        assertThat(r.log().get(r.log().size() - 1).valRelErr()).isLessThan(0.05);
        assertThat(r.log()).hasSize(4);
    }
}
