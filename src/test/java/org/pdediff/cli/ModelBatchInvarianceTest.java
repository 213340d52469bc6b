package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling a model: score is bit-identical for every --batch, as for the exact scores (the issue saw ~1e-15 with
 * libtorch; pdediff's own MLP engine evaluates every row by one fixed fused-multiply-add chain), so --help may say so.
 */
class ModelBatchInvarianceTest {
    @TempDir
    Path dir;

    @Test
    void samplesOfAModelAreBitIdenticalForEveryBatch() throws Exception {
        Path model = dir.resolve("m.pdm");
        BadInputFuzzTest.Result t = BadInputFuzzTest.run(List.of("train", "--data", "moons:n=200", "--steps", "10", "--batch", "16",
                "--width", "8", "--depth", "1", "--out", model.toString()));
        assertThat(t.code()).as(t.err()).isZero();
        String first = null;
        for (String batch : List.of("0", "1", "7")) {
            Path out = dir.resolve("s" + batch);
            BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sample", "--score", "model:" + model, "--data", "moons:n=200",
                    "--sampler", "em", "--steps", "10", "--n", "20", "--batch", batch, "--out", out.toString()));
            assertThat(r.code()).as(r.err()).isZero();
            String csv = Files.readString(out.resolve("samples.csv"));
            if (first == null) {
                first = csv;
            } else {
                assertThat(csv).as("--batch " + batch).isEqualTo(first);
            }
        }
    }
}
