package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.FashionMnistFixture;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;
import org.pdediff.train.Skip;
import org.pdediff.train.TimeLaw;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.Trainer;

/** The image network of the memorisation experiment: a tiny one trained on Fashion-MNIST samples inside the data's range. */
class ImageNetworkTest {
    /** RMS over samples of |x − μ|, and the largest |x_j|. */
    private static double[] spread(Batch x, double[] mu) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < x.size(); i++) {
            for (int j = 0; j < x.dim(); j++) {
                double c = x.get(i, j) - mu[j];
                sum += c * c;
                max = Math.max(max, Math.abs(x.get(i, j)));
            }
        }
        return new double[] {Math.sqrt(sum / x.size()), max};
    }

    private static Batch sample(ScoreModel s) {
        SamplingOptions o = SamplingOptions.builder().kind(SamplerKind.EM)
                .timeGrid(TimeGrid.of(GridKind.GEOMETRIC, s.sde().T(), 1e-3, 100)).seed(3).build();
        return Samplers.fromPrior(s, 16, o, 16).samples();
    }

    @Test
    void aTinyNetworkOnFashionMnistSamplesInsideTheDataRangeAndWithoutTheSkipItDiverges() {
        // The data lie in [−1, 1]^784 with RMS radius √(d·v) ≈ 16 about their mean. Width 32 is far below d = 784:
        // without the Gaussian skip the network cannot carry −x/σ², the reverse drift ½β(t)x is left uncompensated
        // and the samples grow by ≈ 1/α(ε) ≈ 150 (measured: radius in the thousands); with it (the image default, the
        // covariance skip), even 150 steps of training keep the samples within a few times the data's radius (the
        // Gaussian part alone gives ≈ 16).
        FashionMnistFixture.require();
        DataSet ds = DataSets.parse("fashion-mnist:n=200,seed=1");
        Sde sde = new VpSde();
        double[] mu = ds.points().mean();
        double radius = spread(ds.points(), mu)[0];
        assertThat(radius).isBetween(10.0, 25.0);

        Trainer.Result skip = ImageNetwork.train("train:steps=150,width=32,depth=2,batch=32", ds, sde, 0, (a, b, c) -> { });
        assertThat(skip.checkpoint().architecture().skip()).isEqualTo(Skip.COVARIANCE);
        double[] s = spread(sample(skip.score()), mu);
        assertThat(s[0]).as("RMS radius of the samples with the skip").isLessThan(2 * radius);
        assertThat(s[1]).as("largest |pixel| with the skip").isLessThan(5.0);

        TrainConfig none = TrainConfig.builder().width(32).depth(2).batch(32).steps(150).warmup(100).timeLaw(new TimeLaw(0.5, 1))
                .validationSize(256).skip(Skip.NONE).build();
        Trainer.Result plain = new Trainer(none, ds, sde).train((a, b, c) -> { });
        double[] p = spread(sample(plain.score()), mu);
        assertThat(p[0]).as("RMS radius of the samples without the skip (the divergence this test guards)").isGreaterThan(20 * radius);
    }

    @Test
    void memorisationTrainsItsNetworkAndReportsItBesideTheExactScore(@TempDir Path tmp) throws Exception {
        // a tiny end-to-end run (200 training images, a 16-unit network trained for 10 steps): the plumbing, not quality
        FashionMnistFixture.require();
        Path out = tmp.resolve("c1-net");
        assertThat(Main.execute("experiment", "memorisation", "--data", "fashion-mnist", "--images", "200", "--samples", "4",
                "--steps", "20", "--eps", "0.01", "--network", "train:steps=10,width=16,depth=1,batch=8", "--out", out.toString()))
                .isEqualTo(0);
        JsonNode r = ReportFiles.check(out, "memorisation");
        assertThat(r.get("network_training").get("steps").asInt()).isEqualTo(10);
        assertThat(r.get("held_out_dsm")).hasSize(ImageNetwork.HELD_OUT_TIMES.length);
        assertThat(r.get("held_out_dsm").get(0).get("network").asDouble()).isPositive();
        assertThat(r.get("held_out_nearest_dist").asDouble()).isPositive();
        assertThat(Files.exists(out.resolve("network.pdm"))).isTrue();
        assertThat(Files.exists(out.resolve("nearest_network_sde.png"))).isTrue();
        assertThat(Files.readString(out.resolve("report.md"))).contains("Generalisation").contains("Trained network");
        assertThat(Main.execute("experiment", "memorisation", "--data", "fashion-mnist", "--train-network", "--network",
                "model:x.pdm", "--out", tmp.resolve("bad").toString())).isEqualTo(2);
    }

    @Test
    void trainingSpecsAreCheckedAndHaveTheImageDefaults() {
        TrainConfig c = ImageNetwork.config("train", 7);
        assertThat(c.skip()).isEqualTo(Skip.COVARIANCE);
        assertThat(ImageNetwork.config("train:skip=gaussian", 7).skip()).isEqualTo(Skip.GAUSSIAN);
        assertThat(c.seed()).isEqualTo(7);
        assertThat(ImageNetwork.config("train:width=64,steps=10,seed=2", 7).width()).isEqualTo(64);
        assertThat(ImageNetwork.requested("train:steps=5")).isTrue();
        assertThat(ImageNetwork.requested("model:train.pdm")).isFalse();
        assertThatThrownBy(() -> ImageNetwork.config("train:widht=3", 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ImageNetwork.config("train:steps=0", 0)).isInstanceOf(InvalidInputException.class);
    }
}
