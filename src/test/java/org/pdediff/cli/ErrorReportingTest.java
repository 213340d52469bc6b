package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Json;
import org.pdediff.core.NumericalFailureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** How errors reach the user: one line, its exit status, the JSON object with --json, traces only with --debug. */
class ErrorReportingTest {
    /** A command that fails as asked, to reach every handler. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Option(names = "--kind")
        String kind;

        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() {
            switch (kind) {
                case "bug" -> throw new IllegalStateException("invariant broken\nsecond line");
                case "oom" -> throw new OutOfMemoryError("Java heap space");
                case "nan" -> throw new NumericalFailureException("NaN at step 7, t = 0.5");
                default -> throw new ArithmeticException("/ by zero");
            }
        }
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = Main.execute(cl, args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void anUnexpectedExceptionIsOneLineSayingItIsABugWithExitOne() {
        Result r = run("boom", "--kind", "bug");
        assertThat(r.code()).isEqualTo(Main.BUG);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("this is a bug").contains("invariant broken second line").doesNotContain("\tat ");
        Result d = run("boom", "--kind", "bug", "--debug");
        assertThat(d.code()).isEqualTo(Main.BUG);
        assertThat(d.err()).contains("\tat ");
        Result a = run("boom", "--kind", "arith");
        assertThat(a.code()).isEqualTo(Main.BUG);
        assertThat(a.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void outOfMemoryIsOneLineWithExitTwo() {
        Result r = run("boom", "--kind", "oom");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("out of memory").contains("-Xmx");
    }

    @Test
    void withJsonAnErrorIsAlsoOneJsonObjectOnStdout() throws Exception {
        Result nan = run("boom", "--kind", "nan", "--json");
        assertThat(nan.code()).isEqualTo(Main.NUMERICAL_FAILURE);
        JsonNode o = Json.MAPPER.readTree(nan.out());
        assertThat(o.get("exit").asInt()).isEqualTo(3);
        assertThat(o.get("error").asText()).startsWith("numerical failure: NaN at step 7");
        // a parse error and an input error of a real command
        Result parse = run("sample", "--n", "many", "--out", "x", "--json");
        assertThat(parse.code()).isEqualTo(2);
        assertThat(Json.MAPPER.readTree(parse.out()).get("exit").asInt()).isEqualTo(2);
        Result input = run("metrics", "--a", "/nonexistent/a.csv", "--json");
        assertThat(input.code()).isEqualTo(2);
        JsonNode in = Json.MAPPER.readTree(input.out());
        assertThat(in.get("error").asText()).contains("/nonexistent/a.csv");
        assertThat(input.err().strip().lines().count()).isEqualTo(1);
        // without --json nothing goes to stdout
        assertThat(run("metrics", "--a", "/nonexistent/a.csv").out()).isEmpty();
    }
}
