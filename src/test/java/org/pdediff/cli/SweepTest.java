package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Json;
import org.pdediff.sweep.Sweep;

/** {@code pdediff sweep}: one run per grid point, one table, resumption, and one-line errors for bad specs. */
class SweepTest {
    @TempDir
    static Path tmp;

    static final String SAMPLE_SPEC = """
            {"command": "sample",
             "args": {"--data": "gmm:n=100", "--n": 8, "--eps": 0.001, "--final-denoise": true, "noiseless-last-step": false},
             "grid": {"--seed": [0, 1], "--steps": [4, 6]},
             "description": "a tiny sweep"}
            """;

    private static Path spec(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void sweepRunsEveryPointAndWritesOneTable() throws Exception {
        Path s = spec("sample.json", SAMPLE_SPEC);
        Path out = tmp.resolve("sweep");
        BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo("point,status,exit,seed,steps,nfe,steps_taken,rejected,error");
        assertThat(csv.get(1)).isEqualTo("p0000,ok,0,0,4,5,4,0,");
        assertThat(csv.get(4)).isEqualTo("p0003,ok,0,1,6,7,6,0,");
        // each point is the command run by hand
        Path direct = tmp.resolve("direct");
        assertThat(BadInputFuzzTest.run(List.of("sample", "--data", "gmm:n=100", "--n", "8", "--eps", "0.001", "--final-denoise",
                "--seed", "1", "--steps", "4", "--out", direct.toString())).code()).isZero();
        assertThat(Files.readString(out.resolve("runs/p0002/samples.csv"))).isEqualTo(Files.readString(direct.resolve("samples.csv")));
        JsonNode table = Json.MAPPER.readTree(out.resolve("sweep.json").toFile());
        assertThat(table.get("points").asInt()).isEqualTo(4);
        assertThat(table.get("rows").get(3).get("params").get("steps").asText()).isEqualTo("6");
        assertThat(table.get("rows").get(3).get("results").get("nfe").asInt()).isEqualTo(7);
        assertThat(Files.readString(out.resolve("index.html"))).contains("href=\"runs/p0001/samples.png\"").contains("a tiny sweep");

        // resume: p0000 and p0001 are complete and not run again; p0002 was lost, p0003 interrupted before its mark
        byte[] tableBefore = Files.readAllBytes(out.resolve("sweep.csv"));
        FileTime t0 = Files.getLastModifiedTime(out.resolve("runs/p0000/samples.csv"));
        Files.setLastModifiedTime(out.resolve("runs/p0000/samples.csv"), FileTime.fromMillis(1000));
        deleteTree(out.resolve("runs/p0002"));
        Files.delete(out.resolve("runs/p0003").resolve(Sweep.MARKER));
        Files.delete(out.resolve("sweep.csv"));
        r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("resuming, 2 of 4");
        assertThat(Files.getLastModifiedTime(out.resolve("runs/p0000/samples.csv")).toMillis()).isEqualTo(1000);
        assertThat(t0.toMillis()).isNotEqualTo(1000);
        assertThat(out.resolve("runs/p0002/samples.csv")).exists();
        assertThat(Files.readAllBytes(out.resolve("sweep.csv"))).isEqualTo(tableBefore);
    }

    @Test
    void failedPointsAreReportedAndRetried() throws Exception {
        Path s = spec("fail.json", """
                {"command": "sample", "args": {"--data": "gmm:n=100", "--n": 4, "--steps": 3}, "grid": {"--eps": [0.001, 5]}}
                """);
        Path out = tmp.resolve("fail");
        BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("1 of 2 points failed").contains("p0001").contains("--eps");
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(csv.get(2)).startsWith("p0001,failed,2,5,").contains("--eps must satisfy");
        assertThat(out.resolve("runs/p0001").resolve(Sweep.MARKER)).doesNotExist();
        r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("resuming, 1 of 2");
    }

    @Test
    void trainAndExperimentPoints() throws Exception {
        Path s = spec("train.json", """
                {"command": "train", "args": {"--data": "moons:n=50", "--steps": 2, "--batch": 4, "--width": 4, "--depth": 1,
                 "--validate-every": 1, "--validation-size": 8}, "grid": {"--seed": [0, 1]}}
                """);
        Path out = tmp.resolve("train");
        BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("runs/p0001/model.pdm")).exists();
        String header = Files.readAllLines(out.resolve("sweep.csv")).get(0);
        assertThat(header).startsWith("point,status,exit,seed,parameters,steps,").doesNotContain("seconds").doesNotContain("steps_per_s");
        assertThat(Files.readString(out.resolve("index.html"))).contains("runs/p0000/model.loss.png");

        Path e = spec("experiment.json", """
                {"command": "experiment one-datum", "args": {"--quick": true, "--n": 400, "--steps": 20}, "grid": {"--seed": [0, 1]}}
                """);
        Path eout = tmp.resolve("experiment");
        r = BadInputFuzzTest.run(List.of("sweep", e.toString(), "--out", eout.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(eout.resolve("sweep.csv")).get(0))
                .isEqualTo("point,status,exit,seed,claim_holds,quick,max_identity_error,em_nfe,ddpm_nfe,error");
        assertThat(Files.readString(eout.resolve("index.html"))).contains("href=\"runs/p0001/report.html\"");
    }

    @Test
    void badSpecsAreOneLineErrorsAndCreateNothing() throws Exception {
        String[][] cases = {
                {"{\"command\": \"sample\", \"grid\": {\"--seed\": [0]}, \"gird\": 1}", "unknown key 'gird'"},
                {"{\"command\": \"pde\", \"grid\": {\"--seed\": [0]}}", "unknown command 'pde'"},
                {"{\"command\": \"experiment nope\", \"grid\": {\"--seed\": [0]}}", "unknown experiment 'nope'"},
                {"{\"command\": \"sample\", \"grid\": {\"--bogus\": [0]}}", "bogus"},
                {"{\"command\": \"sample\", \"grid\": {\"--steps\": [\"abc\"]}}", "abc"},
                {"{\"command\": \"sample\", \"args\": {\"--out\": \"x\"}, \"grid\": {\"--seed\": [0]}}", "--out may not be set"},
                {"{\"command\": \"sample\", \"grid\": {}}", "non-empty"},
                {"{\"command\": \"sample\", \"grid\": {\"--seed\": [0, 0]}}", "twice"},
                {"{\"command\": \"sample\", \"args\": {\"--seed\": 1}, \"grid\": {\"--seed\": [0]}}", "twice"},
                {"{\"command\": \"sample\", \"grid\": {\"--seed\": [[0]]}}", "a string, a number or a boolean"},
                {"{\"command\": \"sample\", \"grid\": ", "not valid JSON"},
                {"[1]", "must be a JSON object"},
        };
        Path out = tmp.resolve("bad-out");
        for (String[] c : cases) {
            Path s = spec("bad.json", c[0]);
            BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sweep", s.toString(), "--out", out.toString()));
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).as(c[0]).doesNotContain("\n").doesNotContain("Exception").contains(c[1]);
            assertThat(out).as(c[0]).doesNotExist();
        }
        BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("sweep", tmp.resolve("missing.json").toString(), "--out", out.toString()));
        assertThat(r.code()).isEqualTo(2);
        // a folder of someone else's, and a sweep folder of another spec
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Path good = spec("good.json", "{\"command\": \"sample\", \"args\": {\"--n\": 2, \"--steps\": 2}, \"grid\": {\"--seed\": [0]}}");
        r = BadInputFuzzTest.run(List.of("sweep", good.toString(), "--out", out.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds no sweep-spec.json");
        Path other = tmp.resolve("other");
        assertThat(BadInputFuzzTest.run(List.of("sweep", good.toString(), "--out", other.toString())).code()).isZero();
        Path changed = spec("changed.json", "{\"command\": \"sample\", \"args\": {\"--n\": 3, \"--steps\": 2}, \"grid\": {\"--seed\": [0]}}");
        r = BadInputFuzzTest.run(List.of("sweep", changed.toString(), "--out", other.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("another spec");
    }

    static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
