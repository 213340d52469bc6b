package org.pdediff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sweep.PointResult;
import org.pdediff.sweep.RunResults;
import org.pdediff.sweep.SweepPoint;
import org.pdediff.sweep.SweepSpec;
import picocli.CommandLine;

/**
 * The one function that runs a sweep point, wherever it runs (the local {@code pdediff sweep}, a Spark task): the
 * point's command line through the same picocli command as {@code pdediff ...}, in this JVM, then the key numbers of
 * what it wrote ({@link RunResults}). Also the check of a whole spec before anything runs.
 */
public final class SweepPoints {
    private SweepPoints() {
    }

    /**
     * Checks every point's command line as picocli parses it (unknown commands, experiments or flags, values of the
     * wrong type), so that a bad spec fails before any point runs. Throws {@link InvalidInputException}.
     */
    public static void validate(SweepSpec spec, String name) {
        if (spec.command().get(0).equals("experiment")) {
            Set<String> known = Main.commandLine().getSubcommands().get("experiment").getSubcommands().keySet();
            if (!known.contains(spec.command().get(1))) {
                throw new InvalidInputException("sweep spec " + name + ": unknown experiment '" + spec.command().get(1)
                        + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        Path probe = Path.of("sweep-point");
        for (SweepPoint p : spec.points()) {
            try {
                Main.commandLine().parseArgs(p.args(probe));
            } catch (CommandLine.ParameterException e) {
                throw new InvalidInputException("sweep spec " + name + ": point " + p.id() + " " + p.values() + ": "
                        + Main.oneLine(e.getMessage()));
            }
        }
    }

    /**
     * Runs {@code point} into {@code dir} (a folder; a train point writes {@code dir/model.pdm}) and returns its exit
     * status, its one-line error (with {@code dir} shown as {@code runs/ID}, so that the line does not depend on where
     * it ran) and the key numbers of its results.
     */
    public static PointResult run(SweepPoint point, Path dir) {
        Outcome o = execute(point.args(dir));
        String error = o.error().replace(dir.toAbsolutePath().toString(), "runs/" + point.id()).replace(dir.toString(), "runs/" + point.id());
        return new PointResult(point.id(), o.exit(), error, o.ok() ? RunResults.of(dir) : java.util.Map.of());
    }

    /**
     * The exit status of a pdediff command line run in this JVM, and its error line (without the {@code pdediff: }
     * prefix; empty on success).
     *
     * @param exit  0 on success, 2 bad input, 3 numerical failure, 1 a bug
     * @param error the one-line error, or empty
     */
    public record Outcome(int exit, String error) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        /** Whether the command succeeded. */
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code pdediff ARGS...} in this JVM (the same command line as the launcher, without System.exit). */
    public static Outcome execute(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = Main.execute(cl, args);
        String error = "";
        if (code != 0) {
            error = err.toString().lines().filter(l -> !l.isBlank()).findFirst().orElse("exit status " + code)
                    .replaceFirst("^pdediff: ", "");
        }
        return new Outcome(code, error);
    }
}
