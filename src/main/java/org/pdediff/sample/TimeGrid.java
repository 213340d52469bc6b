package org.pdediff.sample;

import java.util.Arrays;
import org.pdediff.core.InvalidInputException;

/**
 * An immutable, strictly decreasing reverse-time grid t_0 = T &gt; t_1 &gt; … &gt; t_K = ε, built once (PEERS.md: time-grid
 * bookkeeping bugs). Step k goes from {@link #time(int) t_k} to t_{k+1} with size h_k = t_k − t_{k+1} &gt; 0.
 */
public final class TimeGrid {
    private final double[] t;
    private final GridKind kind;

    private TimeGrid(double[] t, GridKind kind) {
        this.t = t;
        this.kind = kind;
    }

    /** Builds a grid of {@code steps} steps from {@code T} down to {@code eps}. */
    public static TimeGrid of(GridKind kind, double T, double eps, int steps) {
        if (steps <= 0) {
            throw new InvalidInputException("steps must be > 0, got " + steps);
        }
        if (!(eps > 0) || !(eps < T)) {
            throw new InvalidInputException("stopping time eps must satisfy 0 < eps < T=" + T + ", got " + eps);
        }
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            double r = (double) k / steps;
            t[k] = switch (kind) {
                case UNIFORM -> T - (T - eps) * r;
                case QUADRATIC -> eps + (T - eps) * (1 - r) * (1 - r);
                case GEOMETRIC -> T * Math.pow(eps / T, r);
            };
        }
        t[0] = T;
        t[steps] = eps;
        return new TimeGrid(t, kind);
    }

    /** A grid from explicit decreasing times (e.g. P3's 790 + 100 steps). */
    public static TimeGrid ofTimes(double... times) {
        if (times.length < 2) {
            throw new InvalidInputException("a time grid needs at least two times");
        }
        for (int k = 1; k < times.length; k++) {
            if (!(times[k] < times[k - 1]) || !(times[k] > 0)) {
                throw new InvalidInputException("grid times must be positive and strictly decreasing (at index " + k + ")");
            }
        }
        return new TimeGrid(times.clone(), null);
    }

    /** Number of steps K. */
    public int steps() {
        return t.length - 1;
    }

    /** t_k, k = 0..K. */
    public double time(int k) {
        return t[k];
    }

    /** h_k = t_k − t_{k+1}. */
    public double step(int k) {
        return t[k] - t[k + 1];
    }

    /** T = t_0. */
    public double start() {
        return t[0];
    }

    /** ε = t_K. */
    public double end() {
        return t[t.length - 1];
    }

    /** The spacing, or null for an explicit grid. */
    public GridKind kind() {
        return kind;
    }

    /** A copy of all times. */
    public double[] times() {
        return t.clone();
    }

    /** The index of the grid time nearest to {@code time}. */
    public int nearest(double time) {
        int best = 0;
        for (int k = 1; k < t.length; k++) {
            if (Math.abs(t[k] - time) < Math.abs(t[best] - time)) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "TimeGrid[" + (kind == null ? "explicit" : kind.name().toLowerCase()) + ", " + steps() + " steps, "
                + t[0] + " -> " + t[t.length - 1] + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeGrid g && Arrays.equals(g.t, t);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(t);
    }
}
