package org.pdediff.nn;

import java.util.Locale;

/** Working precision of the MLP engine. */
public enum Precision {
    FLOAT32(new ArithF32()), FLOAT64(new ArithF64());

    private final Arith arith;

    Precision(Arith arith) {
        this.arith = arith;
    }

    Arith arith() {
        return arith;
    }

    /** Lower-case name as used on the command line and in checkpoints ("float32", "float64"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Rounds a double to this precision. */
    public double round(double v) {
        return this == FLOAT32 ? (float) v : v;
    }
}
