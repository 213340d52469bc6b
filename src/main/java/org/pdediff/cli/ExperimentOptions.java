package org.pdediff.cli;

import java.nio.file.Path;
import java.util.Map;
import org.pdediff.core.Json;
import org.pdediff.core.OutputSet;
import org.pdediff.experiment.Experiment;
import org.pdediff.experiment.ExperimentContext;
import org.pdediff.experiment.Experiments;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every experiment takes: {@code --quick --seed --out --json}. */
final class ExperimentOptions {
    @Mixin
    SharedOptions.FolderRun common;

    @Option(names = "--quick", description = "Reduced size that finishes in under a minute on 2 cores.")
    boolean quick;




    /** The given option value, or the experiment's default where the option was not given. */
    static <T> T or(T given, T dflt) {
        return given == null ? dflt : given;
    }

    /** Runs an experiment with a progress bar and prints the outcome. */
    <P extends Record> int run(Experiment<P> e, P params) {
        Map<String, Object> results;
        try (OutputSet set = OutputSet.open(common.out.value); ProgressBars bar = ProgressBars.open("experiment " + e.name(), !common.json.value)) {
            results = Experiments.run(e, params, new ExperimentContext(set.dir(), quick, common.seed.value, bar.listener()));
            set.commit();
        }
        if (common.json.value) {
            System.out.println(Json.compact(results));
        } else {
            System.err.println(e.name() + ": claim " + (Boolean.TRUE.equals(results.get("claim_holds")) ? "holds" : "does NOT hold")
                    + "; report in " + common.out.value.resolve("report.html"));
        }
        return 0;
    }
}
