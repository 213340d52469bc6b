package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Json;
import org.pdediff.data.Csv;
import picocli.CommandLine;

/** The command line: outputs, provenance, and one-line errors with exit status 2 for every kind of bad input. */
class CliTest {
    @TempDir
    static Path tmp;

    /** Runs the CLI capturing stdout and stderr. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = cl.execute(args);
            return new Result(code, buf.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void sampleWritesSamplesRunJsonAndPlot() throws Exception {
        Path out = tmp.resolve("s1");
        Result r = run("sample", "--data", "moons:n=200", "--sampler", "heun", "--steps", "40", "--n", "50",
                "--seed", "3", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(r.out());
        assertThat(summary.get("nfe").asLong()).isEqualTo(80);
        assertThat(summary.get("n").asInt()).isEqualTo(50);
        assertThat(Files.readAllLines(out.resolve("samples.csv")).get(0)).isEqualTo("x1,x2");
        assertThat(Csv.read(out.resolve("samples.csv")).size()).isEqualTo(50);
        assertThat(Files.size(out.resolve("samples.png"))).isGreaterThan(1000);
        JsonNode runJson = Json.MAPPER.readTree(out.resolve("run.json").toFile());
        assertThat(runJson.get("seed").asLong()).isEqualTo(3);
        assertThat(runJson.get("data_hash").asText()).hasSize(64);
        assertThat(runJson.get("version").asText()).isNotBlank();
        assertThat(runJson.get("nfe").asLong()).isEqualTo(80);
        assertThat(runJson.get("wall_s").asDouble()).isPositive();
        assertThat(runJson.get("parameters").get("sampler").asText()).isEqualTo("heun");
        assertThat(runJson.get("parameters").get("eps").asDouble()).isEqualTo(1e-3);
        assertThat(runJson.get("parameters").get("final_denoise").asBoolean()).isFalse();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("samples.csv", "samples.png", "run.json");
        }
    }

    @Test
    void sameSeedSameSamplesAcrossBatchSizes() throws Exception {
        Path a = tmp.resolve("b1");
        Path b = tmp.resolve("b2");
        assertThat(run("sample", "--data", "gmm:n=300", "--sampler", "pc", "--steps", "20", "--n", "30", "--out", a.toString()).code()).isZero();
        assertThat(run("sample", "--data", "gmm:n=300", "--sampler", "pc", "--steps", "20", "--n", "30", "--batch", "7", "--out", b.toString()).code()).isZero();
        assertThat(Files.readString(a.resolve("samples.csv"))).isEqualTo(Files.readString(b.resolve("samples.csv")));
    }

    @Test
    void everySamplerRunsFromTheCommandLine() {
        for (String s : new String[] {"em", "pc", "ddpm", "ddim", "euler", "heun", "rk4", "dp45"}) {
            Result r = run("sample", "--data", "gaussian:n=100", "--score", "gmm", "--sampler", s, "--steps", "20",
                    "--n", "20", "--out", tmp.resolve("all-" + s).toString());
            assertThat(r.code()).as(s + ": " + r.err()).isZero();
        }
        Result digits = run("sample", "--data", "digits:n=50", "--sampler", "ddim", "--steps", "10", "--n", "16",
                "--out", tmp.resolve("digits").toString());
        assertThat(digits.code()).as(digits.err()).isZero();
    }

    @Test
    void dataCommandWritesTheSet() throws Exception {
        Path f = tmp.resolve("checker.csv");
        assertThat(run("data", "--data", "checker:n=64", "--out", f.toString()).code()).isZero();
        assertThat(Csv.read(f).size()).isEqualTo(64);
    }

    static Stream<Arguments> badInputs() throws Exception {
        Path dir = Files.createTempDirectory("pdediff-bad");
        Path malformed = Files.writeString(dir.resolve("malformed.csv"), "x1,x2\n1,2\n3,oops\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Path nan = Files.writeString(dir.resolve("nan.csv"), "1,2\nNaN,3\n");
        Path inf = Files.writeString(dir.resolve("inf.csv"), "1,2\n4,Infinity\n");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2\n3,4,5\n");
        String out = dir.resolve("out").toString();
        return Stream.of(
                Arguments.of("unknown option", new String[] {"sample", "--bogus", "--out", out}, "bogus"),
                Arguments.of("unknown data set", new String[] {"sample", "--data", "nope", "--out", out}, "unknown data set"),
                Arguments.of("unknown data key", new String[] {"sample", "--data", "moons:wiggle=2", "--out", out}, "unknown key"),
                Arguments.of("unknown SDE", new String[] {"sample", "--sde", "vq", "--out", out}, "unknown SDE"),
                Arguments.of("unknown SDE key", new String[] {"sample", "--sde", "vp:beta=3", "--out", out}, "unknown key"),
                Arguments.of("unknown sampler", new String[] {"sample", "--sampler", "leapfrog", "--out", out}, "unknown sampler"),
                Arguments.of("unknown score", new String[] {"sample", "--score", "oracle", "--out", out}, "unknown score"),
                Arguments.of("gmm score without a law", new String[] {"sample", "--score", "gmm", "--out", out}, "law"),
                Arguments.of("malformed CSV", new String[] {"sample", "--data", "file:" + malformed, "--out", out}, "line 3"),
                Arguments.of("empty CSV", new String[] {"sample", "--data", "file:" + empty, "--out", out}, "empty"),
                Arguments.of("NaN in CSV", new String[] {"sample", "--data", "file:" + nan, "--out", out}, "non-finite"),
                Arguments.of("infinity in CSV", new String[] {"sample", "--data", "file:" + inf, "--out", out}, "non-finite"),
                Arguments.of("dimension mismatch", new String[] {"sample", "--data", "file:" + ragged, "--out", out}, "fields"),
                Arguments.of("missing file", new String[] {"sample", "--data", "file:" + dir.resolve("none.csv"), "--out", out}, "no such file"),
                Arguments.of("eps <= 0", new String[] {"sample", "--eps", "0", "--out", out}, "eps"),
                Arguments.of("eps >= T", new String[] {"sample", "--eps", "1", "--out", out}, "eps"),
                Arguments.of("negative steps", new String[] {"sample", "--steps", "-5", "--out", out}, "steps"),
                Arguments.of("zero samples", new String[] {"sample", "--n", "0", "--out", out}, "--n"),
                Arguments.of("bad SDE value", new String[] {"sample", "--sde", "ve:smin=5,smax=1", "--out", out}, "smin"),
                Arguments.of("unwritable output", new String[] {"sample", "--out", "/proc/pdediff-nope"}, "output folder"),
                Arguments.of("bad grid", new String[] {"sample", "--grid", "cubic", "--out", out}, "grid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineAndExitTwo(String what, String[] args, String mention) throws Exception {
        Result r = run(args);
        assertThat(r.code()).as(what + ": " + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(what + ": " + err).isEqualTo(1);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.toLowerCase()).contains(mention.toLowerCase());
        Path out = Path.of(args[args.length - 1]);
        assertThat(Files.exists(out.resolve("samples.csv"))).isFalse();
    }
}
