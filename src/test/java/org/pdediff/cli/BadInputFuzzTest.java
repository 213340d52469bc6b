package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A seeded fuzz test: a few hundred generated bad inputs (each a small valid command with one or two options, a
 * spec or an input file replaced by a bad one) thrown at the CLI in-process. Each must exit with status 2, print
 * exactly one line on stderr without a stack trace, and leave the output folder — which holds an earlier run —
 * byte for byte unchanged, with nothing else written beside it. Bounded: every base command is tiny, and the
 * inputs fail before any long computation.
 */
class BadInputFuzzTest {
    @TempDir
    static Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(List<String> args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream ebuf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(ebuf, true, StandardCharsets.UTF_8));
        try {
            // the system streams are replaced first: picocli's writers must be set after that
            return runIn(Main.commandLine(), buf, ebuf, args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    /** One run on a reused command line (picocli resets every option to its default before parsing). */
    private static Result runIn(CommandLine cl, ByteArrayOutputStream buf, ByteArrayOutputStream ebuf, List<String> args) {
        buf.reset();
        ebuf.reset();
        StringWriter err = new StringWriter();
        StringWriter outW = new StringWriter();
        cl.setOut(new PrintWriter(outW));
        cl.setErr(new PrintWriter(err));
        int code = Main.execute(cl, args.toArray(new String[0]));
        return new Result(code, outW + buf.toString(StandardCharsets.UTF_8), err + ebuf.toString(StandardCharsets.UTF_8));
    }

    /** Every file under {@code dir} with its content. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Arrays.hashCode(Files.readAllBytes(p)) + "" : "dir");
            }
        }
        return m;
    }

    private static Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve("inputs").resolve(name), content);
    }

    @Test
    void badInputsExitTwoWithOneLineAndWriteNothing() throws IOException {
        Files.createDirectories(tmp.resolve("inputs"));
        Path good = file("good.csv", "x1,x2\n0.1,0.2\n0.3,-0.4\n1,2\n-1,0.5\n0,0\n");
        List<Path> badCsv = List.of(
                file("d-suffix.csv", "1d,2\n3,4\n"), file("hex.csv", "0x1p3,1\n2,3\n"), file("float-suffix.csv", "1,2f\n"),
                file("header-cols.csv", "a,b,c\n1,2\n3,4\n"), file("ragged.csv", "1,2\n3,4,5\n"), file("nan.csv", "1,2\nNaN,3\n"),
                file("inf.csv", "1,2\nInfinity,3\n"), file("empty.csv", ""), file("header-only.csv", "x1,x2\n"),
                file("empty-cell.csv", "1,,2\n3,4,5\n"), file("spaces.csv", "1 2\n3 4\n"), file("semicolon.csv", "1;2\n3;4\n"),
                file("words.csv", "x,y\none,two\n"), file("huge.csv", "1e400,1\n"), file("underscore.csv", "1_000,2\n"),
                file("three-d.csv", "1,2,3\n4,5,6\n"));
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        Path plainFile = file("plain.txt", "x");

        List<String> badSpecs = List.of("gaussian:d=100000000", "moons:n=2000000000", "points:n=1500000000", "nope", "gmm:foo=1", "moons:n=0", "moons:n=-3", "moons:n=abc", "moons:noise=-1",
                "moons:noise=nan", "gaussian:d=0", "gmm:k=0", "gmm:std=0", "moons:n", "moons:=3", "moons:n=2,n=3", ":n=2",
                "file:", "file:" + tmp.resolve("none.csv"), "file:" + good + ",n=0", "file:" + good + ",n=999",
                "file:" + good + ",foo=1", "digits:n=5000", "sphere:d=0", "points:high=-2", "moons:seed=1.5");
        List<String> badSdes = List.of("nope", "vp:foo=1", "vp:bmin=-1", "vp:bmax=nan", "ve:smin=0", "ou:theta=abc", "vp:T=0",
                "ve:smin=2,smax=1", "heat:T=-1");
        List<String> badScores = List.of("nope", "gmm:foo=1", "exact:backend=gpu", "exact:foo=1", "model:" + tmp.resolve("none.pdm"),
                "model:" + good);
        List<String> badInts = List.of("0", "-1", "abc", "1.5", "2147483648", "", "nan");
        List<String> badPositive = List.of("0", "-1", "nan", "inf", "-inf", "abc", "1e400", "");
        List<String> badOuts = new ArrayList<>(List.of("/dev/null", plainFile.toString(), foreign.toString(), "-"));

        // base commands (valid, tiny) and, per option, values that must be refused
        record Case(List<String> base, String option, List<String> values) {
        }
        List<String> sample = List.of("sample", "--data", "moons:n=30", "--n", "5", "--steps", "3");
        List<String> pde = List.of("pde", "--data", "gaussian:d=1,n=20", "--grid", "16", "--steps", "2", "--times", "0.5",
                "--no-plots", "--no-diagnostics");
        List<String> metrics = List.of("metrics", "--a", good.toString(), "--b", good.toString());
        List<String> check = List.of("score-check", "--score", "exact", "--data", "gaussian:n=30", "--points", "5", "--times", "0.5",
                "--fp", "off");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(sample, "--data", badSpecs));
        cases.add(new Case(sample, "--sde", badSdes));
        cases.add(new Case(sample, "--score", badScores));
        cases.add(new Case(sample, "--sampler", List.of("nope", "", "em:x=1")));
        List<String> hugeInts = List.of("2147483647", "2000000000", "1000000000", "300000000");
        cases.add(new Case(sample, "--steps", badInts));
        cases.add(new Case(sample, "--n", badInts));
        cases.add(new Case(sample, "--steps", hugeInts));
        cases.add(new Case(sample, "--n", hugeInts));
        cases.add(new Case(sample, "--batch", List.of("-1", "abc", "1.5")));
        cases.add(new Case(sample, "--eps", List.of("0", "-1", "nan", "inf", "1", "2", "abc", "")));
        cases.add(new Case(sample, "--seed", List.of("abc", "1.5", "")));
        cases.add(new Case(sample, "--grid", List.of("nope", "")));
        cases.add(new Case(sample, "--lambda", List.of("-1", "nan", "inf", "abc")));
        cases.add(new Case(sample, "--snr", badPositive));
        cases.add(new Case(sample, "--corrector-steps", List.of("-1", "abc")));
        cases.add(new Case(sample, "--eta", List.of("-0.1", "1.5", "nan", "abc")));
        cases.add(new Case(sample, "--rtol", badPositive));
        cases.add(new Case(sample, "--atol", badPositive));
        cases.add(new Case(sample, "--record", List.of("-1", "nan", "2", "0", "abc", "0.5,inf")));
        cases.add(new Case(pde, "--grid", List.of("7", "0", "-1", "5000", "abc")));
        cases.add(new Case(pde, "--box", List.of("1", "1,1", "2,1", "nan,1", "1,2,3", "-inf,1", "abc")));
        cases.add(new Case(pde, "--times", List.of("0", "-1", "2", "nan", "abc", "")));
        cases.add(new Case(pde, "--t0", List.of("0", "-1", "nan", "5", "0.9")));
        cases.add(new Case(pde, "--steps", List.of("0", "-1", "abc")));
        cases.add(new Case(pde, "--scheme", List.of("nope", "")));
        cases.add(new Case(pde, "--reverse", List.of("maybe", "")));
        cases.add(new Case(pde, "--lambda", List.of("-1", "nan", "inf")));
        cases.add(new Case(pde, "--data", List.of("sphere", "digits:n=10", "nope", "gmm:foo=1")));
        cases.add(new Case(pde, "--sde", badSdes));
        cases.add(new Case(pde, "--score", List.of("nope", "gmm:foo=1", "exact:foo=1")));
        cases.add(new Case(metrics, "--a", badCsv.stream().map(Path::toString).toList()));
        cases.add(new Case(metrics, "--b", badCsv.stream().map(Path::toString).toList()));
        cases.add(new Case(metrics, "--metric", List.of("nope", "", "w2,,sw2", "w3")));
        cases.add(new Case(metrics, "--grid", List.of("0", "-1", "abc")));
        cases.add(new Case(metrics, "--box", List.of("0", "-1", "nan", "inf")));
        cases.add(new Case(metrics, "--directions", List.of("0", "-1", "abc", "2147483647")));
        cases.add(new Case(metrics, "--epsilon", List.of("0", "-1", "nan", "inf")));
        cases.add(new Case(metrics, "--bandwidths", List.of("0", "-1", "nan", "1,-1")));
        cases.add(new Case(metrics, "--delta", List.of("-1", "nan", "inf")));
        cases.add(new Case(metrics, "--solver", List.of("nope")));
        cases.add(new Case(metrics, "--max-exact", List.of("-1", "abc")));
        List<String> lik = List.of("likelihood", "--data", "gaussian:n=20", "--score", "gmm", "--n", "3");
        cases.add(new Case(lik, "--eps", List.of("0", "-1", "nan", "1", "abc")));
        cases.add(new Case(lik, "--n", List.of("-1", "abc")));
        cases.add(new Case(lik, "--trace", List.of("nope", "hutchinson:probes=0", "hutchinson:foo=1", "exact:x=1")));
        cases.add(new Case(lik, "--rtol", List.of("0", "-1", "nan")));
        cases.add(new Case(lik, "--atol", List.of("-1", "nan")));
        cases.add(new Case(lik, "--solver", List.of("nope")));
        cases.add(new Case(lik, "--error-norm", List.of("nope")));
        cases.add(new Case(lik, "--dequantize", List.of("nope", "uniform:levels=0", "uniform:levels=4,foo=1", "uniform:levels=4,low=1,high=-1")));
        cases.add(new Case(lik, "--points", List.of("nope", "moons:foo=1", "gaussian:d=3")));
        cases.add(new Case(lik, "--score", List.of("nope", "gmm:foo=1")));
        cases.add(new Case(check, "--reference", List.of("nope")));
        cases.add(new Case(check, "--times", List.of("0", "-1", "nan", "2", "abc")));
        cases.add(new Case(check, "--points", List.of("0", "-1", "abc", "2147483647", "1000000000")));
        cases.add(new Case(check, "--fp", List.of("maybe")));
        cases.add(new Case(check, "--score", badScores));
        cases.add(new Case(check, "--data", badSpecs));
        cases.add(new Case(check, "--sde", badSdes));

        // the output folder holds an earlier run; every failed run must leave it as it was
        Path out = tmp.resolve("runs/earlier");
        assertThat(run(List.of("sample", "--data", "moons:n=30", "--n", "5", "--steps", "3", "--record", "0.5", "--out", out.toString())).code())
                .isZero();
        Map<String, String> before = snapshot(tmp.resolve("runs"));
        Map<String, String> inputsBefore = snapshot(tmp.resolve("inputs"));

        List<List<String>> inputs = new ArrayList<>();
        for (Case c : cases) {
            for (String v : c.values()) {
                List<String> a = new ArrayList<>(c.base());
                int at = a.indexOf(c.option());
                if (at >= 0) {
                    a.set(at + 1, v);
                } else {
                    a.add(c.option());
                    a.add(v);
                }
                a.add("--out");
                a.add(out.toString());
                inputs.add(a);
            }
        }
        for (List<String> base : List.of(sample, pde)) {
            for (String o : badOuts) {
                List<String> a = new ArrayList<>(base);
                a.add("--out");
                a.add(o);
                inputs.add(a);
            }
        }
        inputs.add(List.of("data", "--data", "moons:n=5", "--out", foreign.toString()));
        // train and the experiments refuse bad values before any work (train writes a model file, not a folder)
        String model = tmp.resolve("runs/m.pdm").toString();
        List<String> train = List.of("train", "--data", "moons:n=50", "--steps", "1", "--batch", "4", "--width", "4", "--depth", "1");
        String[][] trainBad = {{"--steps", "0"}, {"--batch", "-1"}, {"--lr", "nan"}, {"--grad-clip", "-1"}, {"--grad-clip", "inf"},
            {"--ema", "1.5"}, {"--width", "0"}, {"--width", "100000000"}, {"--depth", "-1"}, {"--eps-train", "2"},
            {"--time-law", "beta:a=1,b=2,c=3"}, {"--fp-weight", "-1"}, {"--validate-every", "-1"}, {"--validation-size", "0"},
            {"--param", "nope"}, {"--lr-stages", "5:-1"}, {"--dtype", "float16"}};
        for (String[] o : trainBad) {
            List<String> a = new ArrayList<>(train);
            a.addAll(List.of(o[0], o[1], "--out", model));
            inputs.add(a);
        }
        inputs.add(List.of("train", "--data", "moons:n=50", "--out", foreign.toString()));
        inputs.add(List.of("train", "--data", "moons:n=50", "--out", "/dev/null"));
        String[][] exps = {{"one-datum", "--n", "0"}, {"one-datum", "--steps", "-1"}, {"one-datum", "--v0", "-1"},
            {"one-datum", "--n", "2000000000"}, {"memorisation", "--sizes", "0"}, {"memorisation", "--eps", "-1"},
            {"concentration", "--tolerance", "-1"}, {"lp-stability", "--records", "3"}, {"lp-stability", "--deltas", "-1"},
            {"li-yau", "--cells", "100000"}, {"li-yau", "--t-min", "0"}, {"ode-sde-gap", "--weights", "-1"},
            {"ode-sde-gap", "--data", "nope"}, {"ode-sde-gap", "--eps", "0"}};
        for (String[] e : exps) {
            List<String> a = new ArrayList<>(List.of("experiment", e[0], "--quick", e[1], e[2], "--out", out.toString()));
            inputs.add(a);
        }
        inputs.add(List.of("data", "--data", "nope", "--out", tmp.resolve("runs/x.csv").toString()));
        // random pairs of bad options on one command (seeded)
        SplittableRandom rnd = new SplittableRandom(12);
        for (int k = 0; k < 100; k++) {
            Case c1 = cases.get(rnd.nextInt(cases.size()));
            Case c2 = cases.get(rnd.nextInt(cases.size()));
            if (!c1.base().equals(c2.base()) || c1.option().equals(c2.option())) {
                continue;
            }
            List<String> a = new ArrayList<>(c1.base());
            for (Case c : List.of(c1, c2)) {
                String v = c.values().get(rnd.nextInt(c.values().size()));
                int at = a.indexOf(c.option());
                if (at >= 0) {
                    a.set(at + 1, v);
                } else {
                    a.add(c.option());
                    a.add(v);
                }
            }
            a.add("--out");
            a.add(out.toString());
            inputs.add(a);
        }
        assertThat(inputs.size()).isGreaterThan(300);

        Map<String, String> failures = new LinkedHashMap<>();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream ebuf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(ebuf, true, StandardCharsets.UTF_8));
        CommandLine cl = Main.commandLine();
        try {
            for (List<String> a : inputs) {
                Result r = runIn(cl, buf, ebuf, a);
                String err = r.err().strip();
                String why = null;
                if (r.code() != 2) {
                    why = "exit " + r.code() + ": " + err;
                } else if (err.lines().count() != 1 || !err.startsWith("pdediff: ")) {
                    why = "not one line: " + err;
                } else if (err.contains("Exception") || err.contains("\tat ")) {
                    why = "trace or class name: " + err;
                } else {
                    try {
                        if (!snapshot(tmp.resolve("runs")).equals(before)) {
                            why = "output folder changed";
                            before = snapshot(tmp.resolve("runs"));
                        }
                    } catch (IOException e) {
                        why = e.toString();
                    }
                }
                if (why != null) {
                    failures.put(String.join(" ", a), why);
                    before = snapshot(tmp.resolve("runs")); // judge the next input on its own
                }
            }
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        assertThat(failures).as(() -> String.join("\n", failures.entrySet().stream()
                .map(e -> e.getKey().replace(tmp.toString(), "T") + "  =>  " + e.getValue().replace(tmp.toString(), "T")).toList()))
                .isEmpty();
        assertThat(snapshot(tmp.resolve("inputs"))).isEqualTo(inputsBefore);
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");
    }
}
