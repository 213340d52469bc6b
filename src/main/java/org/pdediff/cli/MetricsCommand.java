package org.pdediff.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.pdediff.metrics.MetricSummary;
import org.pdediff.metrics.Mmd;
import org.pdediff.metrics.Sinkhorn;
import org.pdediff.metrics.SlicedWasserstein;
import org.pdediff.metrics.SupportDistance;
import org.pdediff.metrics.Wasserstein;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdediff metrics --a A.csv (--b B.csv | --data SPEC) --metric w2,... [--json]}: distances and diagnostics
 * between a sample set and a second sample or a data set. The JSON has one key per metric, in the order asked; each
 * metric's object is its {@link MetricSummary} (the contract).
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
        Map<String, MetricSummary> result = compute(metrics, sa, sb, ds, tr);
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
            for (Map.Entry<String, MetricSummary> e : result.entrySet()) {
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
     * estimate): anything else is a {@link NumericalFailureException} naming the metric and key (exit 3). Checked on
     * what leaves: the numbers and number arrays of each metric's JSON view.
     */
    static void requirePlausible(Map<String, MetricSummary> result) {
        for (Map.Entry<String, MetricSummary> m : result.entrySet()) {
            JsonNode o = Json.MAPPER.valueToTree(m.getValue());
            boolean estimate = o.path("exact").isBoolean() && !o.path("exact").booleanValue();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                boolean nanOk = NAN_MEANS_NOT_AVAILABLE.contains(e.getKey()) || estimate;
                for (JsonNode n : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                    double v = n.asDouble();
                    if (n.isDouble() && (Double.isInfinite(v) || (Double.isNaN(v) && !nanOk))) {
                        throw new org.pdediff.core.NumericalFailureException("metric " + m.getKey() + ": " + e.getKey()
                                + " = " + v + " (the values overflow double precision; rescale the samples)");
                    }
                }
            }
        }
    }

    /** One metric's line of the plain output: key=value for its scalars (arrays and the histogram grid left out). */
    private static String summary(MetricSummary v) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : Json.MAPPER.<JsonNode>valueToTree(v).properties()) {
            if (!e.getValue().isContainerNode()) {
                sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append('=').append(e.getValue().asText());
            }
        }
        return sb.toString();
    }

    /** Computes the metrics, in the order asked, keyed by name; the JSON view of each is {@link MetricSummary}. */
    Map<String, MetricSummary> compute(List<Metric> metrics, Batch sa, Batch sb, DataSet ds, Batch tr) {
        Map<String, MetricSummary> res = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (m.needsSecondSample() && sb == null) {
                throw new InvalidInputException("metric " + m.key() + " needs --b or --data");
            }
            switch (m) {
                case W2 -> res.put("w2", transport(sa, sb, GroundCost.SQUARED_EUCLIDEAN));
                case W1 -> res.put("w1", transport(sa, sb, GroundCost.EUCLIDEAN));
                case SW2 -> res.put("sw2", MetricSummary.Sliced.of(SlicedWasserstein.compute(sa, sb, directions, seed.value)));
                case SINKHORN -> res.put("sinkhorn", sinkhorn(sa, sb));
                case MMD -> res.put("mmd", MetricSummary.KernelMmd.of(bandwidths == null || bandwidths.isEmpty() ? Mmd.mmd2(sa, sb)
                        : Mmd.mmd2(sa, sb, bandwidths.stream().mapToDouble(Double::doubleValue).toArray())));
                case ENERGY -> res.put("energy", MetricSummary.EnergyDistance.of(Mmd.energy(sa, sb)));
                case MEMORIZATION -> res.put("memorization", memorization(sa, tr));
                case SUPPORT -> res.put("support", support(sa, ds));
                case BURES -> res.put("bures", bures(sa, sb, ds));
                default -> throw new IllegalStateException(m.toString());
            }
        }
        return res;
    }

    /** The Sinkhorn divergence. */
    private MetricSummary sinkhorn(Batch sa, Batch sb) {
        Sinkhorn.Builder bld = Sinkhorn.builder();
        if (epsilon != null) {
            bld.epsilon(epsilon);
        }
        return MetricSummary.SinkhornDivergence.of(bld.build().divergence(sa, sb));
    }

    /** Memorisation statistics against the training set. */
    private MetricSummary memorization(Batch sa, Batch tr) {
        if (tr == null) {
            throw new InvalidInputException("metric memorization needs --train or --data");
        }
        if (tr.dim() != sa.dim()) {
            throw new InvalidInputException("samples of different dimensions: the training set has "
                    + tr.dim() + ", " + a + " has " + sa.dim());
        }
        return MetricSummary.Memorisation.of(Memorization.compute(sa, tr, delta == null ? Double.NaN : delta));
    }

    /** Distances to the data set's support. */
    private MetricSummary support(Batch sa, DataSet ds) {
        if (ds == null || ds.support().isEmpty()) {
            throw new InvalidInputException("metric support needs --data with a known support (circle,"
                    + " sphere, points, checker)" + (ds == null ? "" : "; " + ds.spec() + " has none"));
        }
        if (ds.dim() != sa.dim()) {
            throw new InvalidInputException("samples of different dimensions: data set " + ds.spec()
                    + " has " + ds.dim() + ", " + a + " has " + sa.dim());
        }
        return MetricSummary.Support.of(SupportDistance.compute(sa, ds.support().get()));
    }

    /** The Bures-W2 lower bound: against the data law when it is one Gaussian (exact parameters), else B's moments. */
    private static MetricSummary bures(Batch sa, Batch sb, DataSet ds) {
        if (ds != null && ds.law().isPresent() && ds.law().get().components() == 1) {
            return MetricSummary.BuresBound.of(Wasserstein.sampleToGaussian(sa, ds.law().get().mean(0),
                    ds.law().get().covariance(0)), "law of " + ds.spec());
        }
        return MetricSummary.BuresBound.of(Wasserstein.sampleToSampleMoments(sa, sb), "mean and covariance of the second sample");
    }

    /** Exact W_p between the points, or between their histograms with --grid. */
    private MetricSummary transport(Batch sa, Batch sb, GroundCost cost) {
        if (grid != null) {
            GridHistogram ha = GridHistogram.of(sa, grid, box);
            GridHistogram hb = GridHistogram.of(sb, grid, box);
            return MetricSummary.Transport.of(Wasserstein.histograms(ha, hb, cost), cost, MetricSummary.HistogramGrid.of(ha, hb));
        }
        Wasserstein.Options o = Wasserstein.Options.defaults().withCost(cost).withSolver(solver)
                .withLimits(maxExact, Wasserstein.Options.defaults().maxArcs()).withFallback(directions, seed.value);
        return MetricSummary.Transport.of(Wasserstein.exact(sa, sb, o), cost, null);
    }
}
