package org.pdediff.cli;

import java.io.PrintWriter;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.core.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pdediff} command line. Every user error (unknown option, bad spec, malformed file, value out of range)
 * prints one line on stderr and exits with status 2; nothing is half-written.
 */
@Command(name = "pdediff", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Score-based diffusion models from the PDE perspective: forward SDEs, exact and learned scores,"
                + " samplers, Fokker-Planck solvers and diagnostics.",
        subcommands = {SampleCommand.class, DataCommand.class, TrainCommand.class, ScoreCheckCommand.class, MetricsCommand.class, PdeCommand.class, LikelihoodCommand.class, DemoCommand.class, ExperimentCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for user errors. */
    public static final int USER_ERROR = 2;
    /** Exit status for numerical failures (non-finite or implausible results of a well-posed computation). */
    public static final int NUMERICAL_FAILURE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        org.pdediff.train.NeuralScores.install();
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("pdediff: " + oneLine(ex.getMessage()) + " (see --help)");
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            while (!(root instanceof InvalidInputException) && !(root instanceof NumericalFailureException)
                    && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof InvalidInputException) {
                cmd.getErr().println("pdediff: " + oneLine(root.getMessage()));
                return USER_ERROR;
            }
            if (root instanceof NumericalFailureException) {
                cmd.getErr().println("pdediff: numerical failure: " + oneLine(root.getMessage()));
                return NUMERICAL_FAILURE;
            }
            throw ex;
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
