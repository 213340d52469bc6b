package org.pdediff.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.OutputSet;
import org.pdediff.core.Batch;
import org.pdediff.core.Hashing;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;
import org.pdediff.core.Sizes;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.metrics.GridHistogram;
import org.pdediff.metrics.GroundCost;
import org.pdediff.metrics.Memorization;
import org.pdediff.metrics.Metric;
import org.pdediff.metrics.Mmd;
import org.pdediff.metrics.Sinkhorn;
import org.pdediff.metrics.SlicedWasserstein;
import org.pdediff.metrics.SupportDistance;
import org.pdediff.metrics.TransportResult;
import org.pdediff.metrics.Wasserstein;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdediff metrics --a A.csv (--b B.csv | --data SPEC) --metric w2,... [--json]}: distances and diagnostics
 * between a sample set and a second sample or a data set. The JSON has one key per metric (a contract: see
 * {@link #compute}).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Metrics between sample sets: exact W2/W1, sliced W2, Sinkhorn divergence, MMD, energy distance,"
                + " memorisation and distance to a known support. Metrics: " + Metric.NAMES)
public final class MetricsCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.Seed seed;

    @Mixin
    SharedOptions.JsonOutput json;

    @Spec
    CommandSpec spec;

    @Option(names = "--a", required = true, description = "Sample set A (CSV, one point a row).")
    Path a;

    @Option(names = "--b", description = "Second sample set B (CSV). Default: none (give --b or --data for two-sample metrics).")
    Path b;

    @Option(names = "--data", description = "Data set spec for the second sample (and its support, law, training points). Default: none.")
    String data;

    @Option(names = "--metric", defaultValue = "w2", description = "Comma-separated metrics: " + Metric.NAMES + ".")
    String metric;

    @Option(names = "--train", description = "Training set for memorisation (default: the --data points).")
    Path train;

    @Option(names = "--grid", description = "W2/W1 between histograms on a grid of this many cells per side. Default: none (exact W2/W1 between the points).")
    Integer grid;

    @Option(names = "--box", defaultValue = "3.5", description = "Half-width of the histogram box [-box, box]^d.")
    double box;

    @Option(names = "--directions", defaultValue = "50", description = "Directions of the sliced W2.")
    int directions;


    @Option(names = "--epsilon", description = "Sinkhorn ε (absolute; default 0.01 × the mean cost).")
    Double epsilon;

    @Option(names = "--bandwidths", split = ",", description = "MMD Gaussian bandwidths (default: median × 0.5,1,2).")
    List<Double> bandwidths;

    @Option(names = "--delta", description = "Memorisation radius δ (default 1e-2 × the training data's RMS radius).")
    Double delta;

    @Option(names = "--solver", defaultValue = "auction", description = "Exact assignment solver: auction or ortools.")
    Wasserstein.Solver solver;

    @Option(names = "--max-exact", defaultValue = "20000",
            description = "Largest n solved exactly as an assignment; larger problems fall back to sliced W2.")
    int maxExact;


    @Option(names = "--out", description = "Also write metrics.json and run.json into this folder. Default: none (print only).")
    Path out;

    @Override
    public Integer call() {
        List<Metric> metrics = Metric.parseList(metric);
        Checks.finite("--box", box, false);
        Checks.atLeast("--directions", directions, 1);
        if (grid != null) {
            Checks.atLeast("--grid", grid, 1);
        }
        if (epsilon != null) {
            Checks.finite("--epsilon", epsilon, false);
        }
        if (bandwidths != null) {
            for (double h : bandwidths) {
                Checks.finite("--bandwidths", h, false);
            }
        }
        Sizes.doubles("--directions " + directions, directions, 64);
        Checks.atLeast("--max-exact", maxExact, 0);
        if (delta != null && !(delta >= 0 && Double.isFinite(delta))) {
            throw new InvalidInputException("memorisation delta must be >= 0 and finite, got " + delta);
        }
        try (OutputSet set = out == null ? null : OutputSet.open(out, Inputs.of(a, b, train, data))) {
            return run(metrics, set);
        }
    }

    private int run(List<Metric> metrics, OutputSet set) {
        Batch sa = Csv.read(a).requireFinite(a.toString());
        DataSet ds = data == null ? null : DataSets.parse(data);
        if (b != null && ds != null) {
            throw new InvalidInputException("give either --b or --data, not both");
        }
        Batch sb = b != null ? Csv.read(b).requireFinite(b.toString()) : ds != null ? ds.points() : null;
        if (sb != null && sb.dim() != sa.dim()) {
            throw new InvalidInputException("samples of different dimensions: " + a + " has " + sa.dim() + ", "
                    + (b != null ? b.toString() : "data set " + ds.spec()) + " has " + sb.dim());
        }
        Batch tr = train != null ? Csv.read(train).requireFinite(train.toString()) : ds != null ? ds.points() : null;
        Map<String, Object> result = compute(metrics, sa, sb, ds, tr);
        requirePlausible(result);
        if (set != null) {
            Json.write(set.resolve("metrics.json"), result);
            RunRecord rec = new RunRecord("metrics");
            rec.param("a", a.toString()).param("b", b == null ? null : b.toString()).param("data", data)
                    .param("metric", metric).param("train", train == null ? null : train.toString())
                    .param("grid", grid).param("box", box).param("directions", directions).param("seed", seed.value)
                    .param("epsilon", epsilon).param("bandwidths", bandwidths).param("delta", delta)
                    .param("solver", solver.name().toLowerCase(java.util.Locale.ROOT)).param("max_exact", maxExact);
            rec.put("seed", seed.value).put("a_hash", Hashing.sha256(sa));
            if (sb != null) {
                rec.put("b_hash", Hashing.sha256(sb));
            }
            rec.writeTo(set.dir());
            set.commit();
        }
        if (json.value) {
            spec.commandLine().getOut().println(Json.pretty(result));
        } else {
            for (Map.Entry<String, Object> e : result.entrySet()) {
                spec.commandLine().getOut().println(e.getKey() + ": " + summary(e.getValue()));
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Keys whose NaN means "not available" (documented), never a failure. */
    private static final java.util.Set<String> NAN_MEANS_NOT_AVAILABLE = java.util.Set.of("error_bound", "ratio_below_third");

    /**
     * No metric leaves with ±Inf, nor with NaN except where NaN is documented as "not available" (an error bound
     * of a fallback estimate, a statistic undefined for one training point, a W1 that the sliced fallback does not
     * estimate): anything else is a {@link NumericalFailureException} naming the metric and key (exit 3).
     */
    static void requirePlausible(Map<String, Object> result) {
        for (Map.Entry<String, Object> m : result.entrySet()) {
            if (!(m.getValue() instanceof Map<?, ?> o)) {
                continue;
            }
            boolean estimate = Boolean.FALSE.equals(o.get("exact"));
            for (Map.Entry<?, ?> e : o.entrySet()) {
                java.util.List<Double> values = new java.util.ArrayList<>();
                if (e.getValue() instanceof Double v) {
                    values.add(v);
                } else if (e.getValue() instanceof double[] arr) {
                    for (double v : arr) {
                        values.add(v);
                    }
                }
                for (double v : values) {
                    boolean nanOk = NAN_MEANS_NOT_AVAILABLE.contains(String.valueOf(e.getKey())) || estimate;
                    if (Double.isInfinite(v) || (Double.isNaN(v) && !nanOk)) {
                        throw new org.pdediff.core.NumericalFailureException("metric " + m.getKey() + ": " + e.getKey()
                                + " = " + v + " (the values overflow double precision; rescale the samples)");
                    }
                }
            }
        }
    }

    private static String summary(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof long[] || e.getValue() instanceof double[] || e.getValue() instanceof List<?>
                        || e.getValue() instanceof Map<?, ?>) {
                    continue;
                }
                sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    /**
     * Computes the metrics. JSON contract: {@code w2}/{@code w1}: {@code w2, w2_sq} (resp. {@code w1, w1_sq}),
     * {@code cost} (W_p^p), {@code error_bound} (on the cost), {@code method, exact, note} (and {@code grid} with histograms); {@code sw2}: {@code w2, w2_sq,
     * standard_error, directions, seed}; {@code sinkhorn}: {@code w2, w2_sq} (= the divergence), {@code epsilon,
     * iterations, converged, marginal_error, transport_cost}; {@code mmd}: {@code mmd, mmd_sq, bandwidths,
     * per_bandwidth}; {@code energy}: {@code energy, energy_sq}; {@code memorization}: {@code mean_nearest_dist,
     * fraction_within, delta, ratio_below_third, hit_counts, distinct_nearest, max_hits}; {@code support}:
     * {@code mean_dist, rms_dist, max_dist, support}; {@code bures}: {@code w2, w2_sq, against, note}.
     */
    Map<String, Object> compute(List<Metric> metrics, Batch sa, Batch sb, DataSet ds, Batch tr) {
        Map<String, Object> res = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (m.needsSecondSample() && sb == null) {
                throw new InvalidInputException("metric " + m.key() + " needs --b or --data");
            }
            switch (m) {
                case W2 -> res.put("w2", transport(sa, sb, GroundCost.SQUARED_EUCLIDEAN, "w2"));
                case W1 -> res.put("w1", transport(sa, sb, GroundCost.EUCLIDEAN, "w1"));
                case SW2 -> res.put("sw2", sw2(sa, sb));
                case SINKHORN -> res.put("sinkhorn", sinkhorn(sa, sb));
                case MMD -> res.put("mmd", mmd(sa, sb));
                case ENERGY -> res.put("energy", energy(sa, sb));
                case MEMORIZATION -> res.put("memorization", memorization(sa, tr));
                case SUPPORT -> res.put("support", support(sa, ds));
                case BURES -> res.put("bures", bures(sa, sb, ds));
                default -> throw new IllegalStateException(m.toString());
            }
        }
        return res;
    }

    /** The sliced W2. */
    private Map<String, Object> sw2(Batch sa, Batch sb) {
        SlicedWasserstein.Result r = SlicedWasserstein.compute(sa, sb, directions, seed.value);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("w2", r.w2());
        o.put("w2_sq", r.w2Sq());
        o.put("standard_error", r.standardError());
        o.put("directions", r.count());
        o.put("seed", r.seed());
        return o;
    }

    /** The Sinkhorn divergence. */
    private Map<String, Object> sinkhorn(Batch sa, Batch sb) {
        Sinkhorn.Builder bld = Sinkhorn.builder();
        if (epsilon != null) {
            bld.epsilon(epsilon);
        }
        Sinkhorn.Result r = bld.build().divergence(sa, sb);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("w2", r.distance());
        o.put("w2_sq", r.divergence());
        o.put("epsilon", r.epsilon());
        o.put("iterations", r.iterations());
        o.put("converged", r.converged());
        o.put("marginal_error", r.marginalError());
        o.put("transport_cost", r.transportCost());
        return o;
    }

    /** The MMD with Gaussian kernels. */
    private Map<String, Object> mmd(Batch sa, Batch sb) {
        Mmd.Result r = bandwidths == null || bandwidths.isEmpty() ? Mmd.mmd2(sa, sb)
                : Mmd.mmd2(sa, sb, bandwidths.stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mmd", r.mmd());
        o.put("mmd_sq", r.mmd2());
        o.put("bandwidths", r.bandwidths());
        o.put("per_bandwidth", r.perBandwidth());
        return o;
    }

    /** The energy distance. */
    private Map<String, Object> energy(Batch sa, Batch sb) {
        Mmd.Energy r = Mmd.energy(sa, sb);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("energy", r.energy());
        o.put("energy_sq", r.energySq());
        return o;
    }

    /** Memorisation statistics against the training set. */
    private Map<String, Object> memorization(Batch sa, Batch tr) {
        if (tr == null) {
            throw new InvalidInputException("metric memorization needs --train or --data");
        }
        if (tr.dim() != sa.dim()) {
            throw new InvalidInputException("samples of different dimensions: the training set has "
                    + tr.dim() + ", " + a + " has " + sa.dim());
        }
        Memorization.Result r = Memorization.compute(sa, tr, delta == null ? Double.NaN : delta);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean_nearest_dist", r.meanNearestDist());
        o.put("fraction_within", r.fractionWithin());
        o.put("delta", r.delta());
        o.put("ratio_below_third", r.ratioBelowThird());
        o.put("distinct_nearest", r.distinctNearest());
        o.put("max_hits", r.maxHits());
        o.put("hit_counts", r.hitCounts());
        return o;
    }

    /** Distances to the data set's support. */
    private Map<String, Object> support(Batch sa, DataSet ds) {
        if (ds == null || ds.support().isEmpty()) {
            throw new InvalidInputException("metric support needs --data with a known support (circle,"
                    + " sphere, points, checker)" + (ds == null ? "" : "; " + ds.spec() + " has none"));
        }
        if (ds.dim() != sa.dim()) {
            throw new InvalidInputException("samples of different dimensions: data set " + ds.spec()
                    + " has " + ds.dim() + ", " + a + " has " + sa.dim());
        }
        SupportDistance.Result r = SupportDistance.compute(sa, ds.support().get());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean_dist", r.meanDist());
        o.put("rms_dist", r.rmsDist());
        o.put("max_dist", r.maxDist());
        o.put("support", r.support());
        return o;
    }

    /** The Bures-W2 lower bound. */
    private Map<String, Object> bures(Batch sa, Batch sb, DataSet ds) {
        // the data law when it is one Gaussian (exact parameters), else B's mean and covariance
        TransportResult r;
        String against;
        if (ds != null && ds.law().isPresent() && ds.law().get().components() == 1) {
            r = Wasserstein.sampleToGaussian(sa, ds.law().get().mean(0), ds.law().get().covariance(0));
            against = "law of " + ds.spec();
        } else {
            double[] cov = sb.covariance();
            double f = (sb.size() - 1.0) / sb.size();
            for (int q = 0; q < cov.length; q++) {
                cov[q] *= f;
            }
            r = Wasserstein.sampleToGaussian(sa, sb.mean(), cov);
            against = "mean and covariance of the second sample";
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("w2", r.distance());
        o.put("w2_sq", r.value());
        o.put("against", against);
        o.put("note", "Bures-W2 between Gaussians with the moments (M15): a lower bound on W2 (Gelbrich)");
        return o;
    }

    private Map<String, Object> transport(Batch sa, Batch sb, GroundCost cost, String key) {
        TransportResult r;
        Map<String, Object> gridRec = null;
        if (grid != null) {
            GridHistogram ha = GridHistogram.of(sa, grid, box);
            GridHistogram hb = GridHistogram.of(sb, grid, box);
            r = Wasserstein.histograms(ha, hb, cost);
            gridRec = ha.gridRecord();
            gridRec.put("outside_a", ha.outside());
            gridRec.put("outside_b", hb.outside());
            gridRec.put("cells_a", ha.counts().length);
            gridRec.put("cells_b", hb.counts().length);
        } else {
            Wasserstein.Options o = Wasserstein.Options.defaults().withCost(cost).withSolver(solver)
                    .withLimits(maxExact, Wasserstein.Options.defaults().maxArcs()).withFallback(directions, seed.value);
            r = Wasserstein.exact(sa, sb, o);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put(key, r.distance());
        o.put(key + "_sq", r.distance() * r.distance());
        o.put("cost", r.value()); // W_p^p: = w2_sq for W2, = w1 for W1
        o.put("error_bound", r.errorBound()); // on the cost W_p^p
        o.put("method", r.method().name().toLowerCase(java.util.Locale.ROOT));
        o.put("exact", r.exact());
        o.put("note", r.note());
        if (gridRec != null) {
            o.put("grid", gridRec);
        }
        return o;
    }
}
