package org.pdediff.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;

/** Runs an experiment and writes report.html, report.md, results.json and run.json. */
public final class Experiments {
    private Experiments() {
    }

    /** Runs {@code e} and returns the results map written to results.json (with {@code claim_holds}). */
    public static <P extends Record> Map<String, Object> run(Experiment<P> e, P params, ExperimentContext ctx) {
        AtomicFiles.requireWritableDir(ctx.out());
        RunRecord rec = new RunRecord("experiment " + e.name());
        rec.param("quick", ctx.quick());
        for (var c : params.getClass().getRecordComponents()) {
            try {
                rec.param(c.getName(), c.getAccessor().invoke(params));
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        rec.put("seed", ctx.seed());
        Experiment.Outcome o = e.run(params, ctx);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", e.name());
        results.put("claim", e.claim());
        results.put("claim_holds", o.claimHolds());
        results.put("quick", ctx.quick());
        results.putAll(o.results());
        Json.write(ctx.out().resolve("results.json"), results);
        o.report().writeTo(ctx.out());
        rec.put("claim_holds", o.claimHolds());
        rec.writeTo(ctx.out());
        return results;
    }
}
