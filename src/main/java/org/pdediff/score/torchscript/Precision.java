package org.pdediff.score.torchscript;

import ai.djl.ndarray.types.DataType;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Keyed;

/** The floating-point type a foreign network computes in (the {@code dtype} key); inputs must match its weights. */
public enum Precision implements Keyed {
    FLOAT32(DataType.FLOAT32, 0x1.0p-23), FLOAT64(DataType.FLOAT64, 0x1.0p-52);

    private final DataType type;
    private final double eps;

    Precision(DataType type, double eps) {
        this.type = type;
        this.eps = eps;
    }

    /** The DJL type. */
    public DataType type() {
        return type;
    }

    /** The machine epsilon (spacing of numbers near 1). */
    public double eps() {
        return eps;
    }

    /** The precision of a DJL type, or null when it is neither float32 nor float64. */
    static Precision of(DataType t) {
        return t == DataType.FLOAT32 ? FLOAT32 : t == DataType.FLOAT64 ? FLOAT64 : null;
    }

    static Precision parse(String s) {
        Precision o = Keyed.find(Precision.class, s);
        if (o != null) {
            return o;
        }
        throw new InvalidInputException("torchscript: dtype must be float32 or float64, got '" + s + "'");
    }
}
