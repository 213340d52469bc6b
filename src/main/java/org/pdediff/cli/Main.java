package org.pdediff.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.core.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pdediff} command line. Every user error (unknown option, bad spec, malformed file, value out of range,
 * a size that does not fit in memory) prints one line on stderr and exits with status 2; a numerical failure prints
 * one line and exits with status 3; anything else is a bug: one line saying so, exit status 1, the stack trace only
 * under {@code --debug}. With {@code --json} the error is also printed as one JSON object
 * {@code {"error": …, "exit": N}} on stdout. Nothing is half-written (outputs go through {@code core.OutputSet}).
 */
@Command(name = "pdediff", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Score-based diffusion models from the PDE perspective: forward SDEs, exact and learned scores,"
                + " samplers, Fokker-Planck solvers and diagnostics.",
        footerHeading = "%nExit status:%n",
        footer = {"  0  success", "  1  a bug in pdediff (one line; the stack trace with --debug)",
                "  2  bad input: an unknown name, a malformed file, a value out of range, a size that does not fit",
                "  3  numerical failure: NaN/Inf or an implausible value in a well-posed computation",
                "With --json, an error is also printed on stdout as {\"error\": ..., \"exit\": N}."},
        subcommands = {SampleCommand.class, DataCommand.class, TrainCommand.class, ScoreCheckCommand.class, MetricsCommand.class, PdeCommand.class, LikelihoodCommand.class, DemoCommand.class, ExperimentCommand.class, BenchCommand.class, MergeCommand.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for user errors. */
    public static final int USER_ERROR = 2;
    /** Exit status for numerical failures (non-finite or implausible results of a well-posed computation). */
    public static final int NUMERICAL_FAILURE = 3;

    /** Exit status for bugs (an unexpected exception). */
    public static final int BUG = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On an unexpected error (a bug), print the stack trace.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int execute(String... args) {
        return execute(commandLine(), args);
    }

    /**
     * Runs a configured command line; the last-resort handler: errors that escape picocli (an
     * {@link OutOfMemoryError}, a {@link StackOverflowError}) become one line too.
     */
    public static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return report(cl, args, USER_ERROR, "out of memory (" + oneLine(e.getMessage())
                    + "); ask for smaller sizes or give Java more memory (java -Xmx...)", null);
        } catch (Throwable e) {
            return report(cl, args, BUG, bugMessage(e), e);
        }
    }

    private static String bugMessage(Throwable e) {
        String m = e.getMessage();
        return "internal error: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m))
                + "; this is a bug, please report it (--debug prints the stack trace)";
    }

    private static boolean has(String[] args, String flag) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** Prints one line on stderr (and, with --json, one JSON object on stdout) and returns {@code code}. */
    private static int report(CommandLine cl, String[] args, int code, String message, Throwable trace) {
        PrintWriter err = cl.getErr();
        err.println("pdediff: " + message);
        if (trace != null && (has(args, "--debug") || System.getenv("PDEDIFF_DEBUG") != null)) {
            trace.printStackTrace(err);
        }
        err.flush();
        if (has(args, "--json")) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("error", message);
            o.put("exit", code);
            cl.getOut().println(Json.compact(o));
            cl.getOut().flush();
        }
        return code;
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((ex, args) -> report(cl, args, USER_ERROR,
                oneLine(ex.getMessage()) + " (see --help)", null));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String[] args = parsed.originalArgs().toArray(new String[0]);
            Throwable root = ex;
            while (!(root instanceof InvalidInputException) && !(root instanceof NumericalFailureException)
                    && !(root instanceof OutOfMemoryError) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof InvalidInputException) {
                return report(cl, args, USER_ERROR, oneLine(root.getMessage()), null);
            }
            if (root instanceof NumericalFailureException) {
                return report(cl, args, NUMERICAL_FAILURE, "numerical failure: " + oneLine(root.getMessage()), null);
            }
            if (root instanceof OutOfMemoryError) {
                return report(cl, args, USER_ERROR, "out of memory (" + oneLine(root.getMessage())
                        + "); ask for smaller sizes or give Java more memory (java -Xmx...)", null);
            }
            return report(cl, args, BUG, bugMessage(ex), ex);
        });
        return cl;
    }

    static String oneLine(String s) {
        return s == null ? "error" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** Prints the version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pdediff " + Version.VALUE};
        }
    }
}
