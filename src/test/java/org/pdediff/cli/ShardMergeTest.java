package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Json;

/**
 * {@code sample --shard I/N} and {@code merge}: the merged shards are the unsharded run, byte for byte (samples,
 * trajectories, plot) and key for key (run.json, up to timings); shards that do not tile, or disagree, are refused
 * with one line and exit 2, and nothing is written.
 */
class ShardMergeTest {
    @TempDir
    static Path tmp;

    private static BadInputFuzzTest.Result run(List<String> args) {
        return BadInputFuzzTest.run(args);
    }

    private static List<String> args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    /** Runs the full job and its N shards, merges the shards (given in reverse order) and compares. */
    private static void mergedEqualsFull(String name, List<String> sample, int shards) throws Exception {
        Path full = tmp.resolve(name + "-full");
        BadInputFuzzTest.Result r = run(args(sample, "--out", full.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int i = shards - 1; i >= 0; i--) {
            Path s = tmp.resolve(name + "-shard" + i);
            r = run(args(sample, "--shard", i + "/" + shards, "--out", s.toString()));
            assertThat(r.code()).as(r.err()).isZero();
            merge.add(s.toString());
        }
        Path merged = tmp.resolve(name + "-merged");
        r = run(args(merge, "--out", merged.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> files;
        try (Stream<Path> s = Files.list(full)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (Stream<Path> s = Files.list(merged)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(files);
        }
        for (String f : files) {
            if (!f.equals("run.json")) {
                assertThat(Files.readAllBytes(merged.resolve(f))).as(name + ": " + f).isEqualTo(Files.readAllBytes(full.resolve(f)));
            }
        }
        ObjectNode a = (ObjectNode) Json.MAPPER.readTree(full.resolve("run.json").toFile());
        ObjectNode b = (ObjectNode) Json.MAPPER.readTree(merged.resolve("run.json").toFile());
        assertThat(b.get("merged_shards").asInt()).isEqualTo(shards);
        for (ObjectNode o : List.of(a, b)) {
            o.remove(List.of("started", "wall_s", "merged_shards"));
        }
        assertThat(Json.pretty(b)).isEqualTo(Json.pretty(a));
    }

    @Test
    void mergedShardsOfAStochasticSamplerAreTheFullRun() throws Exception {
        mergedEqualsFull("em", List.of("sample", "--data", "gmm:n=200", "--sampler", "em", "--steps", "15", "--n", "37",
                "--seed", "5", "--record", "0.5,0.1"), 3);
        mergedEqualsFull("pc", List.of("sample", "--data", "moons:n=100", "--sampler", "pc", "--steps", "8", "--n", "20",
                "--batch", "6"), 4);
    }

    @Test
    void adaptiveShardsAreWholeBatches() throws Exception {
        mergedEqualsFull("dp45", List.of("sample", "--data", "gaussian:n=100", "--score", "gmm", "--sampler", "dp45",
                "--n", "23", "--batch", "5", "--record", "0.3"), 3);
        BadInputFuzzTest.Result r = run(List.of("sample", "--data", "gaussian:n=100", "--score", "gmm", "--sampler", "dp45",
                "--n", "23", "--shard", "1/2", "--out", tmp.resolve("dp45-nobatch").toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--batch");
        assertThat(tmp.resolve("dp45-nobatch")).doesNotExist();
    }

    @Test
    void badShardsAndMismatchedMergesAreOneLineErrors() throws Exception {
        List<String> base = List.of("sample", "--data", "gmm:n=100", "--sampler", "ddim", "--steps", "5", "--n", "10");
        for (String bad : new String[] {"3/3", "1/0", "a/b", "-1/2", "0/11"}) {
            BadInputFuzzTest.Result r = run(args(base, "--shard", bad, "--out", tmp.resolve("bad").toString()));
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err().strip()).as(bad).doesNotContain("\n").doesNotContain("Exception");
            assertThat(tmp.resolve("bad")).doesNotExist();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(run(args(base, "--shard", i + "/3", "--out", tmp.resolve("m" + i).toString())).code()).isZero();
        }
        assertThat(run(args(base, "--shard", "1/3", "--seed", "9", "--out", tmp.resolve("m1-seed9").toString())).code()).isZero();
        assertThat(run(args(base, "--shard", "1/2", "--out", tmp.resolve("m1-of2").toString())).code()).isZero();
        assertThat(run(args(base, "--out", tmp.resolve("unsharded").toString())).code()).isZero();
        String m0 = tmp.resolve("m0").toString();
        String m1 = tmp.resolve("m1").toString();
        String m2 = tmp.resolve("m2").toString();
        Object[][] cases = {
                {List.of(m0, m1), "2/3 missing"},
                {List.of(m0, m1, m1, m2), "given twice"},
                {List.of(m0, tmp.resolve("m1-seed9").toString(), m2), "seed"},
                {List.of(m0, tmp.resolve("m1-of2").toString(), m2), "different splits"},
                {List.of(m0, tmp.resolve("unsharded").toString(), m2), "not a shard"},
                {List.of(m0, tmp.resolve("nowhere").toString()), "no run.json"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> dirs = (List<String>) c[0];
            BadInputFuzzTest.Result r = run(args(args(List.of("merge"), dirs.toArray(new String[0])), "--out", tmp.resolve("merged-bad").toString()));
            assertThat(r.code()).as(dirs.toString()).isEqualTo(2);
            assertThat(r.err().strip()).as(dirs.toString()).doesNotContain("\n").contains((String) c[1]);
            assertThat(tmp.resolve("merged-bad")).doesNotExist();
        }
        // a damaged shard: rows missing
        Path damaged = tmp.resolve("m2-damaged");
        Files.createDirectories(damaged);
        Files.copy(tmp.resolve("m2").resolve("run.json"), damaged.resolve("run.json"));
        List<String> rows = Files.readAllLines(tmp.resolve("m2").resolve("samples.csv"));
        Files.write(damaged.resolve("samples.csv"), rows.subList(0, rows.size() - 1));
        BadInputFuzzTest.Result r = run(List.of("merge", m0, m1, damaged.toString(), "--out", tmp.resolve("merged-bad").toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("rows");
        JsonNode ok = Json.MAPPER.readTree(run(List.of("merge", m2, m0, m1, "--out", tmp.resolve("merged-ok").toString(), "--json")).out());
        assertThat(ok.get("shards").asInt()).isEqualTo(3);
        assertThat(Files.readString(tmp.resolve("merged-ok").resolve("samples.csv")))
                .isEqualTo(Files.readString(tmp.resolve("unsharded").resolve("samples.csv")));
    }
}
