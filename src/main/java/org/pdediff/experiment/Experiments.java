package org.pdediff.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;
import org.pdediff.report.Report;

/**
 * Runs an experiment and renders its {@link ExperimentResult}: results.json (the common keys {@code experiment},
 * {@code claim}, {@code claim_holds}, {@code quick}, then the measured record's keys, then {@code claim_checks}),
 * report.md and report.html (the experiment's body, then the claim checks and the verdict), and run.json.
 */
public final class Experiments {
    /** Checks listed one by one in the report when there are at most this many (else only those that fail). */
    static final int REPORT_ALL_CHECKS = 40;

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
        ExperimentResult<P> result = e.run(params, ctx);
        Map<String, Object> results = results(e, result, ctx.quick());
        Json.write(ctx.out().resolve("results.json"), results);
        withChecks(result).writeTo(ctx.out());
        rec.put("claim_holds", result.claimHolds());
        rec.writeTo(ctx.out());
        return results;
    }

    /** The results.json object of a result. */
    static Map<String, Object> results(Experiment<?> e, ExperimentResult<?> result, boolean quick) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", e.name());
        results.put("claim", e.claim());
        results.put("claim_holds", result.claimHolds());
        results.put("quick", quick);
        results.putAll(ResultJson.object(result.measured()));
        results.put("claim_checks", ResultJson.value(result.checks()));
        return results;
    }

    /** The report body followed by the claim checks and the verdict. */
    static Report withChecks(ExperimentResult<?> result) {
        List<Check> checks = result.checks();
        List<Check> failed = checks.stream().filter(c -> !c.holds()).toList();
        List<Check> shown = checks.size() <= REPORT_ALL_CHECKS ? checks : failed;
        List<List<String>> rows = new ArrayList<>();
        for (Check c : shown) {
            rows.add(Report.cells(c.name(), c.measured(), c.predicted(), c.tolerance(), c.holds()));
        }
        Report rep = result.report().heading("Claim checks")
                .paragraph(checks.size() - failed.size() + " of " + checks.size() + " checks hold"
                        + (shown == failed && !failed.isEmpty() ? "; those that fail:" : shown == failed ? " (all in results.json, claim_checks)." : "."));
        if (!rows.isEmpty()) {
            rep.table(List.of("check", "measured", "predicted or bound", "tolerance", "holds"), rows);
        }
        return rep.paragraph(result.claimHolds() ? "Result: the claim holds."
                : "Result: the claim does NOT hold at this size (see the checks marked NO).");
    }
}
