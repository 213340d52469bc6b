package org.pdediff.metrics;

/**
 * A Wasserstein distance between two measures, with how it was computed and how far it can be from the truth.
 *
 * @param cost       the ground cost |x − y|^p (p = 1: W1, p = 2: W2)
 * @param distance   W_p
 * @param value      W_p^p, the optimal transport cost (for W2: {@code w2_sq})
 * @param errorBound a bound on |value − exact W_p^p| from integer rounding, mass quantisation, the certified duality
 *                   gap and floating-point sums; {@code NaN} when the method gives no bound (a fallback estimate)
 * @param method     how it was computed
 * @param sizeA      support points of the first measure
 * @param sizeB      support points of the second measure
 * @param note       a short human note (e.g. why a fallback was used); empty if none
 */
public record TransportResult(GroundCost cost, double distance, double value, double errorBound, Method method,
                              int sizeA, int sizeB, String note) {
    /** How a {@link TransportResult} was computed. */
    public enum Method {
        /** Exact: own ε-scaling auction with a duality certificate (equal sizes, uniform weights). */
        AUCTION,
        /** Exact: OR-Tools {@code LinearSumAssignment} on integer-scaled costs. */
        ORTOOLS_ASSIGNMENT,
        /** Exact: OR-Tools {@code MinCostFlow} on integer-scaled costs and integer supplies. */
        ORTOOLS_MIN_COST_FLOW,
        /** Exact in 1-D: sorted quantile functions paired. */
        QUANTILES_1D,
        /** Closed form between Gaussians (Bures–W2, M15). */
        GAUSSIAN_CLOSED_FORM,
        /** Fallback for large problems: sliced W2 (not the same quantity; a lower bound on W2). */
        SLICED_FALLBACK
    }

    static TransportResult of(GroundCost cost, double value, double errorBound, Method method, int sizeA, int sizeB,
                              String note) {
        return new TransportResult(cost, cost.root(value), value, errorBound, method, sizeA, sizeB, note);
    }

    /** True when the value is the exact optimum up to {@link #errorBound}. */
    public boolean exact() {
        return method != Method.SLICED_FALLBACK;
    }
}
