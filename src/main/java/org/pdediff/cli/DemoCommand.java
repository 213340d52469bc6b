package org.pdediff.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Json;
import org.pdediff.core.OutputSet;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.RunRecord;
import org.pdediff.experiment.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff demo}: the main job on a built-in default (moons). The exact score of the training set (M10) against
 * a quickly trained network (denoising score matching), each sampled by the reverse SDE (M6, Euler–Maruyama) and the
 * probability-flow ODE (M7, Heun); particles over the forward Fokker–Planck density on a grid (M3); memorisation
 * (claim C1: exact-score samples sit at √(π/2)·σ(ε)/α(ε) from a training point) and exact W2 to a held-out sample;
 * one HTML report. The workflow is {@link Demo}; the command parses the options, runs it, writes summary.json, run.json
 * and the report, and prints.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "On 2-D data: exact score vs a quickly trained network, SDE vs ODE, particles over grid densities, memorisation and W2; one HTML report.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder.")
    Path out;

    @Mixin
    SharedOptions.Seed seed;

    @Mixin
    SharedOptions.JsonOutput json;

    @Mixin
    SharedOptions.Data data = new SharedOptions.Data("moons:n=1000");

    @Option(names = "--n", defaultValue = "1000", description = "Samples per (score, sampler).")
    int n;

    @Option(names = "--sets", defaultValue = "8", description = "Generated sets of --n samples per network run (1..8), each "
            + "compared with its own held-out set: the generalisation ratio is decided on their mean.")
    int sets;

    @Option(names = "--exact-sets", defaultValue = "4", description = "Generated sets per exact-score run (1..8; the exact "
            + "score's reverse SDE is the slowest run, and its ratio is a reference, not the check).")
    int exactSets;

    @Option(names = "--train-steps", defaultValue = "12000", description = "Training steps of the network (batch 512, learning rate 2e-3, then 5e-4 from 7/12 and 1e-4 from 10/12 of the steps).")
    int trainSteps;

    /** The demo's parameters from the options (their defaults are {@link Demo.Params#defaults()}). */
    Demo.Params params() {
        return new Demo.Params(data.value, seed.value, n, sets, exactSets, trainSteps);
    }

    @Override
    public Integer call() {
        Demo.Params params = params();
        try (OutputSet set = OutputSet.open(out, Inputs.of(data.value))) {
            return run(params, set);
        }
    }

    /** Runs the demo into the output set, writes the report, summary.json and run.json, and prints the result. */
    private int run(Demo.Params params, OutputSet set) {
        Path dir = set.dir();
        RunRecord rec = new RunRecord("demo");
        Demo.Result result = Demo.run(params, dir, new Bars(!json.value));
        Demo.Provenance pv = result.provenance();
        rec.param("data", pv.data()).param("test_data", pv.testData()).param("sde", pv.sde()).param("n", params.n())
                .param("eps", Demo.EPS).param("train", pv.train().toMap());
        rec.put("seed", params.seed()).put("data_hash", pv.dataHash());
        Map<String, Object> summary = result.summary().toJson();
        result.report().writeTo(dir);
        rec.put("summary", summary);
        rec.writeTo(dir);
        Json.write(dir.resolve("summary.json"), summary);
        AtomicFiles.writeString(dir.resolve("summary.md"), result.report().markdown());
        set.commit();
        if (json.value) {
            System.out.println(Json.compact(summary));
        } else {
            System.out.println(result.report().markdown().replaceAll("!\\[[^]]*]\\([^)]*\\)\\n\\n", ""));
            System.out.println("Report: " + out.resolve("report.html"));
        }
        return 0;
    }

    /** A terminal progress bar per stage of the demo (none with {@code --json}). */
    private record Bars(boolean enabled) implements Demo.Stages {
        @Override
        public <T> T run(String task, Function<ProgressListener, T> work) {
            try (ProgressBars bar = ProgressBars.open(task, enabled)) {
                return work.apply(bar.listener());
            }
        }
    }
}
