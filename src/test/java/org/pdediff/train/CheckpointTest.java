package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sdes;

class CheckpointTest {
    private static final DataSet DATA = DataSets.parse("moons:n=300");

    private static Trainer.Result trained(String dtype, double ema) {
        TrainConfig cfg = TrainConfig.builder().width(8).depth(2).fourier(2).steps(20).batch(32).emaDecay(ema)
                .dtype(dtype.equals("float32") ? DataType.FLOAT32 : DataType.FLOAT64).validateEvery(10).validationSize(16).seed(4).build();
        return new Trainer(cfg, DATA, Sdes.parse("vp")).train((a, b, c) -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void roundTripsBitForBit(String dtype, @TempDir Path dir) throws Exception {
        Trainer.Result r = trained(dtype, 0.9);
        Path f = dir.resolve("m.pdm");
        r.checkpoint().write(f);
        byte[] first = Files.readAllBytes(f);
        Checkpoint back = Checkpoint.read(f);
        assertThat(back.toBytes()).isEqualTo(first);
        assertThat(back.weights()).isEqualTo(r.checkpoint().weights());
        assertThat(back.params()).isEqualTo(r.checkpoint().params());
        assertThat(back.sdeSpec()).isEqualTo("vp:bmin=0.1,bmax=20,T=1");
        assertThat(back.dataHash()).isEqualTo(DATA.hash());
        assertThat(back.step()).isEqualTo(20);
        Batch x = Batch.zeros(5, 2);
        RandomStream.of(1).fillNormal(x, 0, 0);
        assertThat(NeuralScore.of(back).score(x, 0.3).data()).isEqualTo(r.score().score(x, 0.3).data());
        Path g = dir.resolve("again.pdm");
        back.write(g);
        assertThat(Files.readAllBytes(g)).isEqualTo(first);
    }

    @Test
    void refusesCorruptTruncatedMismatchedAndMissingFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.pdm");
        trained("float32", 0).checkpoint().write(f);
        byte[] ok = Files.readAllBytes(f);

        byte[] flipped = ok.clone();
        flipped[flipped.length - 3] ^= 0x10;
        assertThatThrownBy(() -> Checkpoint.fromBytes(flipped, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("corrupt");

        byte[] cut = Arrays.copyOf(ok, ok.length - 40);
        assertThatThrownBy(() -> Checkpoint.fromBytes(cut, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("truncated");

        byte[] head = Arrays.copyOf(ok, 30);
        assertThatThrownBy(() -> Checkpoint.fromBytes(head, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("truncated");

        String text = new String(ok, StandardCharsets.ISO_8859_1);
        byte[] wider = text.replace("\"width\":8", "\"width\":9").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(wider).hasSameSizeAs(ok).isNotEqualTo(ok);
        assertThatThrownBy(() -> Checkpoint.fromBytes(wider, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("does not match");

        byte[] magic = ok.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> Checkpoint.fromBytes(magic, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("not a pdediff model");

        byte[] badJson = text.replace("\"format\":", "\"format\"!").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Checkpoint.fromBytes(badJson, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("corrupt header");

        assertThatThrownBy(() -> Checkpoint.read(dir.resolve("nope.pdm"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void registeredModelScoreKindLoadsAndChecksDimensionAndSde(@TempDir Path dir) {
        Path f = dir.resolve("m.pdm");
        Trainer.Result r = trained("float32", 0.9);
        r.checkpoint().write(f);
        ScoreModel s = Scores.create("model:" + f, DATA, Sdes.parse("vp"));
        assertThat(s.sde().spec()).isEqualTo("vp:bmin=0.1,bmax=20,T=1");
        Batch x = Batch.ofRows(new double[] {0.1, 0.2});
        assertThat(s.score(x, 0.5).data()).isEqualTo(r.score().score(x, 0.5).data());
        assertThatThrownBy(() -> Scores.create("model:" + f, DATA, Sdes.parse("ve")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("was trained for SDE vp");
        assertThatThrownBy(() -> Scores.create("model:" + f, DataSets.parse("sphere:n=10"), Sdes.parse("vp")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
    }
}
