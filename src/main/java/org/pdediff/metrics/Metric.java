package org.pdediff.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/** The metrics of {@code pdediff metrics --metric ...}; {@link #key()} is the JSON key. */
public enum Metric {
    W2("w2", true),
    W1("w1", true),
    SW2("sw2", true),
    SINKHORN("sinkhorn", true),
    MMD("mmd", true),
    ENERGY("energy", true),
    MEMORIZATION("memorization", false),
    SUPPORT("support", false),
    BURES("bures", true);

    /** Comma-separated list of the names. */
    public static final String NAMES = "w2, w1, sw2, sinkhorn, mmd, energy, memorization, support, bures";

    private final String key;
    private final boolean needsSecondSample;

    Metric(String key, boolean needsSecondSample) {
        this.key = key;
        this.needsSecondSample = needsSecondSample;
    }

    /** The JSON key and command-line name. */
    public String key() {
        return key;
    }

    /** Whether the metric compares A with a second sample (B or the data set). */
    public boolean needsSecondSample() {
        return needsSecondSample;
    }

    /** Parses one name (case-insensitive; "memorisation" accepted). */
    public static Metric parse(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        if (s.equals("memorisation")) {
            s = "memorization";
        }
        for (Metric m : values()) {
            if (m.key.equals(s)) {
                return m;
            }
        }
        throw new InvalidInputException("unknown metric '" + name.strip() + "' (known: " + NAMES + ")");
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
