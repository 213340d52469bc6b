package org.pdediff.train;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/**
 * How the network sees time. {@link #LOG_SIGMA}: Fourier features of ν = ln σ(t) (pdediff's default, see
 * {@link Architecture}); {@link #T}: the plain time t as one input (P3's network, MATH.md §6).
 */
public enum TimeInput {
    LOG_SIGMA, T;

    public String key() {
        return this == T ? "t" : "log-sigma";
    }

    public static TimeInput parse(String s) {
        for (TimeInput v : values()) {
            if (v.key().equalsIgnoreCase(s.strip())) {
                return v;
            }
        }
        throw new InvalidInputException("unknown time input '" + s + "' (known: log-sigma, t)");
    }

    @Override
    public String toString() {
        return key().toLowerCase(Locale.ROOT);
    }
}
