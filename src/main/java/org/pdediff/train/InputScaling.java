package org.pdediff.train;

import org.pdediff.core.InvalidInputException;

/**
 * How the network sees x. {@link #PRECONDITIONED}: u = c_in(t)(x − α(t)μ) ({@link Preconditioning}, pdediff's
 * default); {@link #RAW}: u = x (P3's network, MATH.md §6).
 */
public enum InputScaling {
    PRECONDITIONED, RAW;

    public String key() {
        return this == RAW ? "raw" : "preconditioned";
    }

    public static InputScaling parse(String s) {
        for (InputScaling v : values()) {
            if (v.key().equalsIgnoreCase(s.strip())) {
                return v;
            }
        }
        throw new InvalidInputException("unknown input scaling '" + s + "' (known: preconditioned, raw)");
    }

    @Override
    public String toString() {
        return key();
    }
}
