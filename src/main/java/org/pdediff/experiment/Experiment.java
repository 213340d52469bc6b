package org.pdediff.experiment;

import java.util.Map;

/**
 * One reproducible experiment: a claim of MATH.md §5, the computation that tests it, and a report.
 *
 * @param <P> the experiment's parameters (a record; recorded in run.json)
 */
public interface Experiment<P extends Record> {
    /** The command-line name, e.g. {@code one-datum}. */
    String name();

    /** The claim tested, in words, with its C-number. */
    String claim();

    /** Runs the experiment, writing plots into {@code ctx.out()}; the runner writes reports and JSON. */
    Outcome run(P params, ExperimentContext ctx);

    /**
     * What an experiment found.
     *
     * @param claimHolds whether the measured numbers agree with the prediction within the stated tolerances
     * @param results    the numbers (written to results.json)
     * @param report     the report body (the runner adds the header)
     */
    record Outcome(boolean claimHolds, Map<String, Object> results, org.pdediff.report.Report report) {
    }
}
