package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Json;

/** {@code pdediff likelihood}: outputs with units in every key, dequantisation offset, one-line bad input. */
class LikelihoodCommandTest {
    @TempDir
    static Path tmp;

    @Test
    void writesPerPointCsvAndRunJsonInNatsAndBits() throws Exception {
        Path out = tmp.resolve("l1");
        CliTest.Result r = CliTest.run("likelihood", "--data", "gaussian:n=40", "--score", "gmm", "--n", "10", "--eps", "1e-3",
                "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = Json.MAPPER.readTree(r.out());
        assertThat(s.get("n").asInt()).isEqualTo(10);
        double nats = s.get("mean_nll_nats").asDouble();
        assertThat(s.get("mean_bits_per_dim").asDouble()).isCloseTo(nats / (s.get("d").asInt() * Math.log(2)),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.get("mean_logp_nats").asDouble()).isEqualTo(-nats);
        assertThat(s.get("std_err_nats").asDouble()).isZero();
        assertThat(s.get("nfe").asLong()).isEqualTo(1 + 6L * (s.get("steps").asInt() + s.get("rejected").asInt()));
        List<String> lines = Files.readAllLines(out.resolve("likelihood.csv"));
        assertThat(lines.get(0)).isEqualTo("index,logp_nats,nll_nats,bits_per_dim,std_err_nats,prior_logp_nats");
        assertThat(lines).hasSize(11);
        JsonNode run = Json.MAPPER.readTree(out.resolve("run.json").toFile());
        assertThat(run.get("command").asText()).isEqualTo("likelihood");
        assertThat(run.get("parameters").get("trace").asText()).isEqualTo("exact");
        assertThat(run.get("mean_bits_per_dim").asDouble()).isEqualTo(s.get("mean_bits_per_dim").asDouble());
        assertThat(run.has("data_hash")).isTrue();
    }

    /** digits take 17 levels in [−1, 1]: Δ = 1/8, so the offset is 3 bits per dimension and 64·ln(1/8) nats. */
    @Test
    void dequantisedDigitsCarryTheOffsetAndHutchinsonReportsItsError() throws Exception {
        Path out = tmp.resolve("l2");
        CliTest.Result r = CliTest.run("likelihood", "--data", "digits:n=30", "--score", "exact", "--n", "3", "--eps", "0.05",
                "--rtol", "1e-4", "--atol", "1e-4", "--trace", "hutchinson:probes=3", "--dequantize", "uniform:levels=17",
                "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = Json.MAPPER.readTree(r.out());
        assertThat(s.get("dequantize_offset_bits_per_dim").asDouble()).isEqualTo(3.0);
        assertThat(s.get("dequantize_offset_nats").asDouble()).isCloseTo(64 * Math.log(0.125), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.get("mean_logp_nats").asDouble() - s.get("continuous_mean_logp_nats").asDouble())
                .isCloseTo(64 * Math.log(0.125), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.get("std_err_nats").asDouble()).isPositive();
    }

    @Test
    void badInputIsOneLineWithExitTwo() {
        String o = tmp.resolve("bad").toString();
        String[][] cases = {
            {"likelihood", "--data", "moons:n=20", "--trace", "hutchinson:probes=0", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--trace", "trace", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--points", "digits:n=5", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--dequantize", "uniform:levels=256", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--eps", "2", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--solver", "rk4", "--out", o},
            {"likelihood", "--data", "moons:n=20", "--error-norm", "max", "--out", o},
        };
        for (String[] c : cases) {
            CliTest.Result r = CliTest.run(c);
            assertThat(r.code()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("pdediff: ").doesNotContain("\n").doesNotContain("Exception");
        }
        assertThat(Files.exists(tmp.resolve("bad").resolve("likelihood.csv"))).isFalse();
    }
}
