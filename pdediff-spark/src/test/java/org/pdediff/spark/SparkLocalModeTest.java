package org.pdediff.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.SweepPoints;
import org.pdediff.core.Json;
import org.pdediff.core.ProgressListener;
import org.pdediff.sweep.PointResult;
import org.pdediff.sweep.Sweep;
import org.pdediff.sweep.SweepSpec;

/**
 * Spark local mode (one context for all tests: it takes seconds to start): a sweep on Spark gives the local sweep's
 * table and run folders bit for bit, and sharded sampling on Spark merges into the local unsharded run.
 */
class SparkLocalModeTest {
    @TempDir
    static Path tmp;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkEngine.context("pdediff-spark tests", "local[2]");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    static final String SPEC = """
            {"command": "sample",
             "args": {"--data": "gmm:n=100", "--n": 12, "--record": 0.5},
             "grid": {"--sampler": ["em", "heun", "dp45"], "--eps": [0.001, 5]}}
            """;

    /** Every file under {@code dir}: its bytes, or for run.json its record without the timings. */
    static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (p.getFileName().toString().equals("run.json")) {
                    ObjectNode o = (ObjectNode) Json.MAPPER.readTree(p.toFile());
                    o.remove(List.of("started", "wall_s", "merged_shards"));
                    m.put(name, Json.pretty(o));
                } else {
                    m.put(name, java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
                }
            }
        }
        return m;
    }

    @Test
    void aSweepOnSparkIsTheLocalSweep() throws Exception {
        SweepSpec spec = SweepSpec.parse(SPEC, "test");
        SweepPoints.validate(spec, "test");
        Sweep local = Sweep.open(spec, tmp.resolve("local"));
        List<PointResult> a = local.runAll(SweepPoints::run, ProgressListener.NONE);
        Sweep onSpark = Sweep.open(spec, tmp.resolve("spark"));
        List<PointResult> b = SparkSweep.run(sc, onSpark);
        assertThat(b).isEqualTo(a);
        assertThat(a.stream().filter(r -> !r.ok()).count()).isEqualTo(3); // eps = 5 > T: one-line errors, the same text
        for (String f : List.of("sweep.csv", "sweep.json", "index.html", Sweep.SPEC_FILE)) {
            assertThat(Files.readAllBytes(onSpark.dir().resolve(f))).as(f).isEqualTo(Files.readAllBytes(local.dir().resolve(f)));
        }
        assertThat(contents(onSpark.dir())).isEqualTo(contents(local.dir()));
        // resumed on Spark: nothing complete runs again, the failed points run again, the table is unchanged
        byte[] table = Files.readAllBytes(onSpark.dir().resolve("sweep.csv"));
        Files.setLastModifiedTime(onSpark.dir().resolve("runs/p0000/samples.csv"), java.nio.file.attribute.FileTime.fromMillis(1000));
        SparkSweep.run(sc, Sweep.open(spec, onSpark.dir()));
        assertThat(Files.getLastModifiedTime(onSpark.dir().resolve("runs/p0000/samples.csv")).toMillis()).isEqualTo(1000);
        assertThat(Files.readAllBytes(onSpark.dir().resolve("sweep.csv"))).isEqualTo(table);
    }

    @Test
    void shardedSamplingOnSparkIsTheLocalRun() throws Exception {
        List<String> args = List.of("--data", "moons:n=200", "--sampler", "pc", "--steps", "10", "--n", "41", "--seed", "7",
                "--record", "0.2");
        Path full = tmp.resolve("full");
        String[] local = Stream.concat(Stream.of("sample"), Stream.concat(args.stream(), Stream.of("--out", full.toString())))
                .toArray(String[]::new);
        assertThat(SweepPoints.execute(local).exit()).isZero();
        Path merged = tmp.resolve("merged");
        SweepPoints.Outcome o = SparkSample.run(sc, args, 4, merged);
        assertThat(o.exit()).as(o.error()).isZero();
        assertThat(contents(merged)).isEqualTo(contents(full));
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".shards-") || n.contains(".spark-"));
        }
        // a shard that fails (more shards than particles) is one line, and nothing is written
        o = SparkSample.run(sc, List.of("--n", "3", "--steps", "2"), 3, tmp.resolve("three"));
        assertThat(o.exit()).isZero();
        o = SparkSample.run(sc, List.of("--n", "3", "--steps", "2", "--eps", "5"), 2, tmp.resolve("failed"));
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.error()).contains("--eps").doesNotContain("\n");
        assertThat(tmp.resolve("failed")).doesNotExist();
    }

    @Test
    void badInputIsOneLineBeforeSparkStarts() throws Exception {
        Path spec = Files.writeString(tmp.resolve("bad.json"), "{\"command\": \"sample\", \"grid\": {\"--nope\": [1]}}");
        String[][] cases = {
                {"sweep", spec.toString(), "--out", tmp.resolve("x").toString()},
                {"sample", "--shards", "0", "--out", tmp.resolve("x").toString(), "--", "--n", "4"},
                {"sample", "--shards", "2", "--out", tmp.resolve("x").toString(), "--", "--shard", "0/2"},
                {"sample", "--shards", "2", "--out", tmp.resolve("x").toString(), "--", "--bogus"},
                {"sample", "--out", tmp.resolve("x").toString()},
        };
        for (String[] c : cases) {
            PrintStream old = System.err;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code;
            try {
                String[] rest = java.util.Arrays.copyOfRange(c, 1, c.length);
                code = c[0].equals("sweep") ? SparkEngine.execute("pdediff-spark", new SparkSweep(), rest)
                        : SparkEngine.execute("pdediff-spark", new SparkSample(), rest);
            } finally {
                System.setErr(old);
            }
            String err = buf.toString(StandardCharsets.UTF_8);
            assertThat(code).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err.strip()).as(String.join(" ", c)).startsWith("pdediff-spark: ").doesNotContain("\n").doesNotContain("Exception");
            assertThat(tmp.resolve("x")).doesNotExist();
        }
    }
}
