package org.pdediff.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one point of a sweep gave: the command's exit status, its one-line error (empty on success), and the key
 * numbers of its results ({@link RunResults}: numbers and booleans only, timings left out, so that the same point
 * gives the same result wherever it runs).
 *
 * @param id      the point's folder name
 * @param exit    the command's exit status (0: success)
 * @param error   the error line, or empty
 * @param results key numbers, in the order the run wrote them
 */
public record PointResult(String id, int exit, String error, Map<String, Object> results) implements Serializable {
    private static final long serialVersionUID = 1L;

    public PointResult {
        error = error == null ? "" : error;
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** Whether the run succeeded. */
    public boolean ok() {
        return exit == 0;
    }

    /** "ok" or "failed". */
    public String status() {
        return ok() ? "ok" : "failed";
    }
}
