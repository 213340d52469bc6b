package org.pdediff.train;

import org.pdediff.core.Keyed;

/**
 * How the network sees x. {@link #PRECONDITIONED}: u = c_in(t)(x − α(t)μ) ({@link Preconditioning}, pdediff's
 * default); {@link #RAW}: u = x (P3's network, MATH.md §6).
 */
public enum InputScaling implements Keyed {
    PRECONDITIONED, RAW;

    public static InputScaling parse(String s) {
        return Keyed.parse(InputScaling.class, s, "input scaling");
    }

    @Override
    public String toString() {
        return key();
    }
}
