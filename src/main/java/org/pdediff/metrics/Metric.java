package org.pdediff.metrics;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Keyed;

/**
 * The metrics of {@code pdediff metrics --metric ...}; {@link #key()} (the lower-case name) is the JSON key and the
 * command-line name.
 */
public enum Metric implements Keyed {
    W2(true),
    W1(true),
    SW2(true),
    SINKHORN(true),
    MMD(true),
    ENERGY(true),
    MEMORIZATION(false),
    SUPPORT(false),
    BURES(true);

    /** Comma-separated list of the names ({@code Keyed.keys(Metric.class)}, spelled out for annotations). */
    public static final String NAMES = "w2, w1, sw2, sinkhorn, mmd, energy, memorization, support, bures";

    private final boolean needsSecondSample;

    Metric(boolean needsSecondSample) {
        this.needsSecondSample = needsSecondSample;
    }

    /** Whether the metric compares A with a second sample (B or the data set). */
    public boolean needsSecondSample() {
        return needsSecondSample;
    }

    /** Parses one name (case-insensitive; "memorisation" accepted). */
    public static Metric parse(String name) {
        String s = name.strip();
        return Keyed.parse(Metric.class, s.equalsIgnoreCase("memorisation") ? "memorization" : s, "metric");
    }

    /** Parses a comma-separated list, keeping order and dropping repeats. */
    public static List<Metric> parseList(String list) {
        List<Metric> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            Metric m = parse(part);
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
