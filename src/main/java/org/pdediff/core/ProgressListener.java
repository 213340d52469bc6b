package org.pdediff.core;

/**
 * Receives progress from long computations (sampling, PDE solves, training). The library never prints; the command
 * line attaches a progress bar through this interface.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * Called after a unit of work.
     *
     * @param done    units finished so far
     * @param total   units in all (or −1 when unknown, e.g. adaptive steps)
     * @param message a short status, e.g. {@code "t=0.153"}; may be empty
     */
    void progress(long done, long total, String message);
}
