package org.pdediff.sample;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;

/**
 * How the divergence ∇·s in the instantaneous change of variables is computed (MATH.md §7).
 *
 * @param kind   exact (the score's closed-form divergence, or the trace of its exact Jacobian) or Hutchinson
 * @param probes number K of Hutchinson probes per point (1 for exact)
 */
public record TraceEstimator(Kind kind, int probes) {
    /** The estimators. */
    public enum Kind {
        /** ∇·s from the score's divergence or Jacobian: no estimator variance; for small d. */
        EXACT,
        /**
         * Hutchinson: ∇·s ≈ vᵀ(∇s)v with Rademacher v, K probes per point each fixed for the whole solve; vᵀ(∇s)v from
         * the exact Jacobian when the score has one and d ≤ 16, else by a central difference of s along v
         * (2 evaluations per probe, step 1e-4·σ(t)). Unbiased up to the difference's O(1e-8) relative error; for
         * large d.
         */
        HUTCHINSON
    }

    public static final TraceEstimator EXACT = new TraceEstimator(Kind.EXACT, 1);

    public TraceEstimator {
        if (probes < 1) {
            throw new InvalidInputException("hutchinson: probes must be >= 1, got " + probes);
        }
    }

    /** Hutchinson with K probes. */
    public static TraceEstimator hutchinson(int probes) {
        return new TraceEstimator(Kind.HUTCHINSON, probes);
    }

    /** Parses {@code exact} or {@code hutchinson[:probes=K]} (default K = 4). */
    public static TraceEstimator parse(String text) {
        Spec sp = Spec.parse(text);
        TraceEstimator t = switch (sp.name().toLowerCase(Locale.ROOT)) {
            case "exact" -> EXACT;
            case "hutchinson" -> hutchinson(sp.getIntAtLeast("probes", 4, 1));
            default -> throw new InvalidInputException("unknown trace estimator '" + sp.name() + "' (known: exact, hutchinson:probes=K)");
        };
        sp.requireAllUsed("trace");
        return t;
    }

    /** The canonical spec, e.g. {@code hutchinson:probes=4}. */
    public String spec() {
        return kind == Kind.EXACT ? "exact" : "hutchinson:probes=" + probes;
    }
}
