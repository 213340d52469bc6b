package org.pdediff.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * The JSON view of one metric's result, as {@code pdediff metrics} writes it (one object per metric; keys in
 * snake_case, in the order of the record components). Bulky per-point arrays of the results (the sliced directions,
 * the nearest-neighbour indices and distances, the distances to the support) stay out of the view.
 *
 * <p>The contract: {@code w2}/{@code w1} ({@link Transport}): {@code w2, w2_sq} (resp. {@code w1, w1_sq}),
 * {@code cost} (W_p^p), {@code error_bound} (on the cost), {@code method, exact, note} (and {@code grid} with
 * histograms); {@code sw2}: {@code w2, w2_sq, standard_error, directions, seed}; {@code sinkhorn}: {@code w2, w2_sq}
 * (= the divergence), {@code epsilon, iterations, converged, marginal_error, transport_cost}; {@code mmd}:
 * {@code mmd, mmd_sq, bandwidths, per_bandwidth}; {@code energy}: {@code energy, energy_sq}; {@code memorization}:
 * {@code mean_nearest_dist, fraction_within, delta, ratio_below_third, distinct_nearest, max_hits, hit_counts};
 * {@code support}: {@code mean_dist, rms_dist, max_dist, support}; {@code bures}: {@code w2, w2_sq, against, note}.
 */
public sealed interface MetricSummary {
    /**
     * Exact (or fallback) W2 or W1: only the pair of the ground cost is present ({@code w2, w2_sq} or
     * {@code w1, w1_sq}, where {@code _sq} is the distance squared); {@code cost} = W_p^p with its {@code error_bound};
     * {@code grid} only for histograms.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Transport(@JsonInclude(JsonInclude.Include.NON_NULL) Double w2, @JsonInclude(JsonInclude.Include.NON_NULL) Double w2Sq,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Double w1, @JsonInclude(JsonInclude.Include.NON_NULL) Double w1Sq,
                     double cost, double errorBound, String method, boolean exact, String note,
                     @JsonInclude(JsonInclude.Include.NON_NULL) HistogramGrid grid) implements MetricSummary {
        /** The view of {@code r}, computed for the ground cost {@code ground} (which names the keys), on {@code grid} or null. */
        public static Transport of(TransportResult r, GroundCost ground, HistogramGrid grid) {
            Double dist = r.distance();
            Double sq = r.distance() * r.distance();
            boolean w2 = ground == GroundCost.SQUARED_EUCLIDEAN;
            return new Transport(w2 ? dist : null, w2 ? sq : null, w2 ? null : dist, w2 ? null : sq, r.value(), r.errorBound(),
                    r.method().name().toLowerCase(Locale.ROOT), r.exact(), r.note(), grid);
        }
    }

    /** The grid of two histograms ({@link GridHistogram}) and how many points of each lay outside its box. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record HistogramGrid(int cellsPerSide, double box, int dim, double cellWidth, long outsideA, long outsideB, int cellsA,
                         int cellsB) {
        public static HistogramGrid of(GridHistogram a, GridHistogram b) {
            return new HistogramGrid(a.cells(), a.box(), a.dim(), 2 * a.box() / a.cells(), a.outside(), b.outside(),
                    a.counts().length, b.counts().length);
        }
    }

    /** Sliced W2 ({@link SlicedWasserstein}); {@code directions} is their number. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Sliced(double w2, double w2Sq, double standardError, int directions, long seed) implements MetricSummary {
        public static Sliced of(SlicedWasserstein.Result r) {
            return new Sliced(r.w2(), r.w2Sq(), r.standardError(), r.count(), r.seed());
        }
    }

    /** The Sinkhorn divergence ({@link Sinkhorn}): {@code w2} = √max(S_ε, 0), {@code w2_sq} = S_ε. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SinkhornDivergence(double w2, double w2Sq, double epsilon, int iterations, boolean converged, double marginalError,
                              double transportCost) implements MetricSummary {
        public static SinkhornDivergence of(Sinkhorn.Result r) {
            return new SinkhornDivergence(r.distance(), r.divergence(), r.epsilon(), r.iterations(), r.converged(),
                    r.marginalError(), r.transportCost());
        }
    }

    /** The MMD with Gaussian kernels ({@link Mmd}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KernelMmd(double mmd, double mmdSq, double[] bandwidths, double[] perBandwidth) implements MetricSummary {
        public static KernelMmd of(Mmd.Result r) {
            return new KernelMmd(r.mmd(), r.mmd2(), r.bandwidths(), r.perBandwidth());
        }
    }

    /** The energy distance ({@link Mmd#energy}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record EnergyDistance(double energy, double energySq) implements MetricSummary {
        public static EnergyDistance of(Mmd.Energy r) {
            return new EnergyDistance(r.energy(), r.energySq());
        }
    }

    /** Memorisation statistics ({@link Memorization}); the per-sample indices and distances are left out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Memorisation(double meanNearestDist, double fractionWithin, double delta, double ratioBelowThird, int distinctNearest,
                        long maxHits, long[] hitCounts) implements MetricSummary {
        public static Memorisation of(Memorization.Result r) {
            return new Memorisation(r.meanNearestDist(), r.fractionWithin(), r.delta(), r.ratioBelowThird(), r.distinctNearest(),
                    r.maxHits(), r.hitCounts());
        }
    }

    /** Distances to a known support ({@link SupportDistance}); the per-sample distances are left out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Support(double meanDist, double rmsDist, double maxDist, String support) implements MetricSummary {
        public static Support of(SupportDistance.Result r) {
            return new Support(r.meanDist(), r.rmsDist(), r.maxDist(), r.support());
        }
    }

    /** The Bures–W2 lower bound (M15, Gelbrich) against {@code against} (a description of the second Gaussian). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BuresBound(double w2, double w2Sq, String against, String note) implements MetricSummary {
        public static BuresBound of(TransportResult r, String against) {
            return new BuresBound(r.distance(), r.value(), against,
                    "Bures-W2 between Gaussians with the moments (M15): a lower bound on W2 (Gelbrich)");
        }
    }
}
