package org.pdediff.experiment;

import java.util.List;
import org.pdediff.report.Report;

/**
 * What an experiment found, typed: its parameters, its measured numbers and tables (a record whose components are the
 * keys of results.json, see {@link ResultJson}), its claim checks and the report body. {@link Experiments#run} renders
 * any result to results.json, report.md and report.html, so the checks table and the {@code claim_holds} logic live
 * in one place.
 *
 * @param params   the experiment's parameters
 * @param measured the measured numbers and tables (written to results.json after the common keys)
 * @param checks   the claim checks; the claim holds when there is at least one and every one holds
 * @param report   the report body (the writer adds the claim checks and the verdict)
 * @param <P>      the parameter record
 */
public record ExperimentResult<P extends Record>(P params, Record measured, List<Check> checks, Report report) {
    public ExperimentResult {
        checks = List.copyOf(checks);
    }

    /** Whether the claim holds: at least one check, and every check holds. */
    public boolean claimHolds() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::holds);
    }
}
