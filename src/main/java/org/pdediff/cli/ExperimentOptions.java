package org.pdediff.cli;

import java.nio.file.Path;
import java.util.Map;
import org.pdediff.core.Json;
import org.pdediff.core.OutputSet;
import org.pdediff.experiment.Experiment;
import org.pdediff.experiment.ExperimentContext;
import org.pdediff.experiment.Experiments;
import picocli.CommandLine.Option;

/** Options every experiment takes: {@code --quick --seed --out --json}. */
final class ExperimentOptions {
    @Option(names = "--quick", description = "Reduced size that finishes in under a minute on 2 cores.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random stream.")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder (report.html, report.md, results.json, run.json, PNGs).")
    Path out;

    @Option(names = "--json", description = "Print results.json on stdout as one line.")
    boolean json;

    /** Runs an experiment with a progress bar and prints the outcome. */
    <P extends Record> int run(Experiment<P> e, P params) {
        Map<String, Object> results;
        try (OutputSet set = OutputSet.open(out); ProgressBars bar = ProgressBars.open("experiment " + e.name(), !json)) {
            results = Experiments.run(e, params, new ExperimentContext(set.dir(), quick, seed, bar.listener()));
            set.commit();
        }
        if (json) {
            System.out.println(Json.compact(results));
        } else {
            System.err.println(e.name() + ": claim " + (Boolean.TRUE.equals(results.get("claim_holds")) ? "holds" : "does NOT hold")
                    + "; report in " + out.resolve("report.html"));
        }
        return 0;
    }
}
