package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Batch;
import org.pdediff.core.Json;
import org.pdediff.core.RandomStream;
import org.pdediff.data.Csv;
import picocli.CommandLine;

class MetricsCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path csv(String name, Batch b) {
        Path p = dir.resolve(name);
        Csv.write(p, b);
        return p;
    }

    private static Batch gaussian(int n, int d, long seed) {
        Batch b = Batch.zeros(n, d);
        RandomStream.of(seed).fillNormal(b, 0, 0);
        return b;
    }

    @Test
    void jsonHasOneKeyPerMetricWithTheContractedFields() throws Exception {
        Batch a = gaussian(120, 2, 1);
        Batch b = a.copy();
        for (int i = 0; i < b.size(); i++) {
            b.set(i, 0, b.get(i, 0) + 0.6);
            b.set(i, 1, b.get(i, 1) - 0.8);
        }
        Path pa = csv("a.csv", a);
        Path pb = csv("b.csv", b);
        Path out = dir.resolve("out");
        Run r = run("metrics", "--a", pa.toString(), "--b", pb.toString(), "--train", pb.toString(), "--metric",
                "w2,w1,sw2,sinkhorn,mmd,energy,memorization", "--json", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.size()).isEqualTo(7);
        // a translate by v = (0.6, −0.8): W2 = W1 = |v| = 1 exactly
        assertThat(j.get("w2").get("w2").asDouble()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("w2").get("w2_sq").asDouble()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("w2").get("method").asText()).isEqualTo("auction");
        assertThat(j.get("w1").get("w1").asDouble()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(j.get("sw2").get("directions").asInt()).isEqualTo(50);
        assertThat(j.get("sw2").has("w2_sq")).isTrue();
        assertThat(j.get("sinkhorn").has("w2_sq")).isTrue();
        assertThat(j.get("mmd").get("bandwidths").size()).isEqualTo(3);
        assertThat(j.get("energy").has("energy_sq")).isTrue();
        JsonNode m = j.get("memorization");
        for (String k : new String[] {"mean_nearest_dist", "fraction_within", "delta", "ratio_below_third", "hit_counts"}) {
            assertThat(m.has(k)).as(k).isTrue();
        }
        long hits = 0;
        for (JsonNode h : m.get("hit_counts")) {
            hits += h.asLong();
        }
        assertThat(hits).isEqualTo(120);
        assertThat(Files.exists(out.resolve("metrics.json"))).isTrue();
        assertThat(Json.MAPPER.readTree(out.resolve("run.json").toFile()).get("command").asText()).isEqualTo("metrics");
    }

    @Test
    void supportAndMemorisationAgainstADataSet() throws Exception {
        // points on the circle of radius 1.1: distance 0.1 to the unit circle
        Batch a = Batch.zeros(50, 2);
        for (int i = 0; i < 50; i++) {
            a.set(i, 0, 1.1 * Math.cos(0.3 * i));
            a.set(i, 1, 1.1 * Math.sin(0.3 * i));
        }
        Run r = run("metrics", "--a", csv("a.csv", a).toString(), "--data", "circle:n=300", "--metric",
                "support,memorization", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.get("support").get("mean_dist").asDouble()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(j.get("support").get("rms_dist").asDouble()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(j.get("memorization").get("hit_counts").size()).isEqualTo(300);
    }

    @Test
    void histogramW2RecordsTheGrid() throws Exception {
        Batch a = gaussian(200, 2, 3);
        Run r = run("metrics", "--a", csv("a.csv", a).toString(), "--data", "gaussian:n=300", "--grid", "16", "--box",
                "4", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode g = Json.MAPPER.readTree(r.out()).get("w2").get("grid");
        assertThat(g.get("cells_per_side").asInt()).isEqualTo(16);
        assertThat(g.get("box").asDouble()).isEqualTo(4);
    }

    @Test
    void plainOutputIsOneLinePerMetric() {
        Batch a = gaussian(30, 2, 4);
        Run r = run("metrics", "--a", csv("a.csv", a).toString(), "--b", csv("b.csv", gaussian(30, 2, 5)).toString(),
                "--metric", "w2,energy");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip().split("\\R")).hasSize(2);
        assertThat(r.out()).startsWith("w2: w2=");
    }

    @Test
    void buresOfASampleWithItselfIsZeroAndGelbrichBoundsW2() throws Exception {
        Batch a = gaussian(200, 2, 6);
        Batch b = gaussian(200, 2, 7);
        Path pa = csv("a.csv", a);
        Run self = run("metrics", "--a", pa.toString(), "--b", pa.toString(), "--metric", "bures", "--json");
        assertThat(self.code()).as(self.err()).isZero();
        assertThat(Json.MAPPER.readTree(self.out()).get("bures").get("w2_sq").asDouble()).isLessThan(1e-10);
        Run r = run("metrics", "--a", pa.toString(), "--b", csv("b.csv", b).toString(), "--metric", "bures,w2", "--json");
        JsonNode j = Json.MAPPER.readTree(r.out());
        // Gelbrich: W2² ≥ Bures² of the moments, for any two laws (here the two empirical measures)
        assertThat(j.get("bures").get("w2_sq").asDouble()).isLessThanOrEqualTo(j.get("w2").get("w2_sq").asDouble() + 1e-12);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path a2 = csv("a2.csv", gaussian(10, 2, 1));
        Path a3 = csv("a3.csv", gaussian(10, 3, 1));
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "x1,x2\n");
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "x1,x2\n1,2\nNaN,3\n");
        String[][] cases = {
                {"metrics", "--a", a2.toString(), "--b", a3.toString()},
                {"metrics", "--a", empty.toString(), "--b", a2.toString()},
                {"metrics", "--a", nan.toString(), "--b", a2.toString()},
                {"metrics", "--a", a2.toString(), "--b", a2.toString(), "--metric", "memorization", "--delta", "-0.1"},
                {"metrics", "--a", a2.toString(), "--b", a2.toString(), "--metric", "w2,nonsense"},
                {"metrics", "--a", a2.toString(), "--metric", "w2"},
                {"metrics", "--a", a2.toString(), "--data", "moons", "--metric", "support"},
                {"metrics", "--a", a2.toString(), "--b", a2.toString(), "--grid", "0"},
        };
        for (String[] c : cases) {
            Run r = run(c);
            assertThat(r.code()).as(String.join(" ", c)).isEqualTo(2);
            assertThat(r.err().strip().split("\\R")).as(r.err()).hasSize(1);
        }
    }
}
