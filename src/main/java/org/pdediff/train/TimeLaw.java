package org.pdediff.train;

import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;

/**
 * The law of the training time: t = ε + (T − ε)·B with B uniform on [0, 1] ({@code uniform}) or B ~ Beta(a, b)
 * ({@code beta:a=1,b=2}, P3's choice). Beta laws are drawn by inverting their CDF, which is closed-form when a = 1
 * (B = 1 − (1 − U)^{1/b}) or b = 1 (B = U^{1/a}); other Beta laws are refused.
 *
 * @param a Beta parameter a (1 for uniform)
 * @param b Beta parameter b (1 for uniform)
 */
public record TimeLaw(double a, double b) {
    public static final TimeLaw UNIFORM = new TimeLaw(1, 1);

    public TimeLaw {
        if (!(a > 0) || !(b > 0)) {
            throw new InvalidInputException("time law: Beta parameters must be > 0, got a=" + a + ", b=" + b);
        }
        if (a != 1 && b != 1) {
            throw new InvalidInputException("time law: Beta(a, b) needs a = 1 or b = 1 (closed-form inverse CDF), got a=" + a + ", b=" + b);
        }
    }

    /** Parses {@code uniform} or {@code beta:a=1,b=2}. */
    public static TimeLaw parse(String text) {
        Spec s = Spec.parse(text);
        TimeLaw law = switch (s.name()) {
            case "uniform" -> UNIFORM;
            case "beta" -> new TimeLaw(s.getPositive("a", 1), s.getPositive("b", 2));
            default -> throw new InvalidInputException("unknown time law '" + s.name() + "' (known: uniform, beta:a=..,b=..)");
        };
        s.requireAllUsed("time law");
        return law;
    }

    /** B from a uniform U in [0, 1). */
    public double quantile(double u) {
        if (a == 1) {
            return b == 1 ? u : -Math.expm1(Math.log1p(-u) / b);
        }
        return Math.pow(u, 1 / a);
    }

    public String spec() {
        return a == 1 && b == 1 ? "uniform" : "beta:a=" + a + ",b=" + b;
    }
}
