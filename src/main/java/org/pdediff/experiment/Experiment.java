package org.pdediff.experiment;

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

    /** Runs the experiment, writing plots into {@code ctx.out()}; {@link Experiments#run} writes reports and JSON. */
    ExperimentResult<P> run(P params, ExperimentContext ctx);
}
