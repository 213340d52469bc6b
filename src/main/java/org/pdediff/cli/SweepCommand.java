package org.pdediff.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.Json;
import org.pdediff.sweep.PointResult;
import org.pdediff.sweep.Sweep;
import org.pdediff.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pdediff sweep SPEC.json --out DIR}: runs a grid of parameters over sample, train or an experiment, one run
 * folder per point, and writes one table ({@link Sweep}). Resumes: complete points are not run again. The same spec
 * runs as Spark jobs with the {@code pdediff-spark} module ({@code SparkSweep}), with the same table.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run a grid of parameters (a JSON spec: command, args, grid) over sample, train or experiment NAME;"
                + " writes DIR/runs/<point>/, DIR/sweep.csv, DIR/sweep.json and DIR/index.html. Rerun to resume.")
public final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC.json", description = "The sweep spec: {\"command\": \"sample\", \"args\": {\"--flag\": value},"
            + " \"grid\": {\"--flag\": [values]}}.")
    Path specFile;

    @Option(names = "--out", required = true, description = "Sweep folder (new, empty, or an interrupted sweep of the same spec).")
    Path out;

    @Mixin
    SharedOptions.JsonOutput json;

    @Override
    public Integer call() {
        SweepSpec spec = SweepSpec.read(specFile);
        SweepPoints.validate(spec, specFile.toString());
        Sweep sweep = Sweep.open(spec, out);
        int[] skipped = {0};
        for (var p : sweep.points()) {
            skipped[0] += sweep.completed(p) != null ? 1 : 0;
        }
        if (!json.value && skipped[0] > 0) {
            System.err.printf("sweep: resuming, %d of %d points already complete%n", skipped[0], sweep.points().size());
        }
        List<PointResult> results = sweep.runAll(SweepPoints::run, (done, total, id) -> {
            if (!json.value) {
                System.err.printf("sweep: %s done (%d/%d)%n", id, done, total);
            }
        });
        return summarise(out, results, skipped[0], json.value);
    }

    /** Prints the outcome (one line, or JSON) and returns the exit status: 0, or the first failed point's. */
    public static int summarise(Path out, List<PointResult> results, int skipped, boolean json) {
        PointResult firstFailed = results.stream().filter(r -> !r.ok()).findFirst().orElse(null);
        long failed = results.stream().filter(r -> !r.ok()).count();
        if (json) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("out", out.toString());
            s.put("points", results.size());
            s.put("resumed", skipped);
            s.put("failed", failed);
            s.put("table", out.resolve("sweep.csv").toString());
            System.out.println(Json.compact(s));
        }
        if (firstFailed != null) {
            System.err.println("pdediff: sweep: " + failed + " of " + results.size() + " points failed (first: " + firstFailed.id()
                    + ": " + firstFailed.error() + "); see " + out.resolve("sweep.csv") + "; rerun to retry them");
            return firstFailed.exit();
        }
        if (!json) {
            System.err.printf("sweep: %d points (%d resumed) in %s; table %s, index %s%n", results.size(), skipped, out,
                    out.resolve("sweep.csv"), out.resolve("index.html"));
        }
        return 0;
    }
}
