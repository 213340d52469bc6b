package org.pdediff.cli;

import java.util.concurrent.Callable;
import org.pdediff.experiment.OneDatumExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pdediff experiment NAME}: the papers' claims (MATH.md §5) as reproducible experiments with reports. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce a claim of the source papers; writes report.html, report.md, results.json, run.json and PNG plots.",
        subcommands = {ExperimentCommand.OneDatum.class})
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an experiment: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** C2: the explicit one-datum solution M13 and the DDPM-posterior identity. */
    @Command(name = "one-datum", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C2: explicit one-datum law (M13) vs Euler-Maruyama and DDPM from an arbitrary start law.")
    static final class OneDatum implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--T", defaultValue = "5", description = "Horizon of ou (θ = 1, g = √2).")
        double T;

        @Option(names = "--x0", defaultValue = "1.5", description = "The datum.")
        double x0;

        @Option(names = "--m0", defaultValue = "3", description = "Mean of the start law at T.")
        double m0;

        @Option(names = "--v0", defaultValue = "0.25", description = "Variance of the start law at T.")
        double v0;

        @Option(names = "--n", description = "Particles (default 200000; 20000 with --quick).")
        Integer n;

        @Option(names = "--steps", description = "Euler-Maruyama steps (default 4000; 400 with --quick).")
        Integer steps;

        @Option(names = "--ddpm-steps", defaultValue = "20", description = "DDPM steps (its transition is exact).")
        int ddpmSteps;

        @Option(names = "--eps", defaultValue = "0.01", description = "Stopping time.")
        double eps;

        @Override
        public Integer call() {
            OneDatumExperiment.Params d = OneDatumExperiment.Params.defaults(common.quick);
            return common.run(new OneDatumExperiment(), new OneDatumExperiment.Params(T, x0, m0, v0,
                    n == null ? d.n() : n, steps == null ? d.steps() : steps, ddpmSteps, eps));
        }
    }
}
