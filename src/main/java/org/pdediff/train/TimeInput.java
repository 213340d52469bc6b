package org.pdediff.train;

import org.pdediff.core.Keyed;
import java.util.Locale;

/**
 * How the network sees time. {@link #LOG_SIGMA}: Fourier features of ν = ln σ(t) (pdediff's default, see
 * {@link Architecture}); {@link #T}: the plain time t as one input (P3's network, MATH.md §6).
 */
public enum TimeInput implements Keyed {
    LOG_SIGMA, T;

    public String key() {
        return this == T ? "t" : "log-sigma";
    }

    public static TimeInput parse(String s) {
        return Keyed.parse(TimeInput.class, s, "time input");
    }

    @Override
    public String toString() {
        return key().toLowerCase(Locale.ROOT);
    }
}
