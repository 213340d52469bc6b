package org.pdediff.experiment;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.pdediff.core.SpecialFunctions;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.metrics.Memorization;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.report.ScatterPlot;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.Snapshot;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;

/**
 * C1 [P2]: with the exact score of N points (M10), the reverse SDE (M6) and the probability-flow ODE (M7) from the
 * prior end, at stopping time ε, on the training points: a sample is αx_i + σz for a uniformly chosen i, so
 * Y/α lies at distance |N(0, (σ/α)²I_d)| from x_i, whose mean is (σ/α)·√2·Γ((d+1)/2)/Γ(d/2) (√(π/2)·σ/α in 2-D),
 * and the nearest-point frequencies are ≈ 1/N. This holds once σ/α is small against the spacing of the points; we
 * assert it where σ(ε)/α(ε) ≤ 0.05 × the median nearest-neighbour spacing of the data, and report all ε.
 *
 * <p>Reported per (data set, N, sampler, ε): {@code ratio_to_prediction} (measured mean nearest distance of Y/α over
 * its prediction; tolerance 5 standard errors of the mean plus 3%), {@code fraction_within} (δ = 3σ/α·√d, a
 * containment radius: the chance that |N(0, s²I_d)| exceeds 3s√d is below 10⁻³ for d ≤ 64),
 * {@code max_hit_deviation} = max_i |N·count_i/n − 1|, and the χ² p-value of the counts against the uniform law.
 */
public final class MemorisationExperiment implements Experiment<MemorisationExperiment.Params> {
    /**
     * @param sizes     numbers of random points N (d = 2, uniform on [−1, 1]²)
     * @param samplesPerPoint samples drawn per training point (n = this × N)
     * @param eps       stopping times swept (recorded along one trajectory)
     * @param steps     steps of each sampler (geometric grid down to the smallest ε)
     * @param digits    size of the digits subset (0 to skip)
     * @param data      an image data set (e.g. {@code fashion-mnist}) for the image mode, or null for the point sets
     *                  and digits above
     * @param images    image mode: training images N (a seeded subset of the data set when smaller than it)
     * @param samples   image mode: samples per sampler
     * @param network   image mode: a score spec of a trained network (e.g. {@code model:runs/fm.pdm}) sampled and
     *                  measured beside the exact score, or null. This is the hook for the trained-network part of
     *                  C1 on images; its rows are reported, not asserted.
     */
    public record Params(int[] sizes, int samplesPerPoint, double[] eps, int steps, int digits, String data, int images,
                         int samples, String network) {
        public Params {
            if (sizes.length == 0 || samplesPerPoint < 1 || eps.length == 0 || steps < 10 || digits < 0) {
                throw new InvalidInputException("memorisation: need sizes, samples-per-point >= 1, eps values, steps >= 10, digits >= 0");
            }
            for (int s : sizes) {
                if (s < 2) {
                    throw new InvalidInputException("memorisation: every N must be >= 2, got " + s);
                }
            }
            for (double e : eps) {
                if (!(e > 0 && e < 1)) {
                    throw new InvalidInputException("memorisation: every eps must be in (0, 1), got " + e);
                }
            }
            if (data != null && (images < 2 || samples < 1)) {
                throw new InvalidInputException("memorisation: need images >= 2 and samples >= 1, got " + images + " and " + samples);
            }
        }

        /** The point-set and digits mode. */
        public Params(int[] sizes, int samplesPerPoint, double[] eps, int steps, int digits) {
            this(sizes, samplesPerPoint, eps, steps, digits, null, 0, 0, null);
        }

        public static Params defaults(boolean quick) {
            return quick ? new Params(new int[] {8, 64, 256}, 8, new double[] {0.1, 0.01, 1e-3, 1e-4}, 200, 40)
                    : new Params(new int[] {8, 32, 128, 512, 1000}, 20, new double[] {0.3, 0.1, 0.03, 0.01, 3e-3, 1e-3, 3e-4, 1e-4}, 1000, 200);
        }

        /**
         * The image mode on {@code data}: quick, 2,000 training images, 16 samples, 200 steps; full, every image of
         * the spec (60,000 for the Fashion-MNIST training split), 64 samples, 200 steps; ε ∈ {0.3, 0.1, 0.03, 0.01,
         * 1e-3} (quick: {0.1, 0.01, 1e-3}).
         */
        public static Params images(String data, boolean quick) {
            Params d = defaults(quick);
            return new Params(d.sizes(), d.samplesPerPoint(), quick ? new double[] {0.1, 0.01, 1e-3} : new double[] {0.3, 0.1, 0.03, 0.01, 1e-3},
                    200, 0, data, quick ? 2000 : Integer.MAX_VALUE, quick ? 16 : 64, null);
        }
    }

    @Override
    public String name() {
        return "memorisation";
    }

    @Override
    public String claim() {
        return "C1: with the exact score, samples at stopping time eps sit at distance |N(0, (sigma/alpha)^2 I)| from a training point, each point hit with frequency 1/N";
    }

    /** E|N(0, I_d)| = √2·Γ((d+1)/2)/Γ(d/2). */
    static double meanChiNorm(int d) {
        return Math.sqrt(2) * Math.exp(SpecialFunctions.logGamma((d + 1) / 2.0) - SpecialFunctions.logGamma(d / 2.0));
    }

    /** Median distance from each point to its nearest other point. */
    static double medianSpacing(Batch pts) {
        Memorization.Result r = Memorization.compute(pts, pts, 0);
        double[] d2 = r.d2();
        double[] s = d2.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Upper tail of the χ² law with k degrees of freedom (Wilson–Hilferty normal approximation). */
    static double chi2PValue(double x, int k) {
        double z = (Math.cbrt(x / k) - (1 - 2.0 / (9 * k))) / Math.sqrt(2.0 / (9 * k));
        return org.pdediff.core.Normal.upperTail(z);
    }


    /**
     * One row of results.json's {@code rows}: a (data set, score, sampler, ε) of either mode. The point mode fills the
     * hit statistics, the image mode the score, the tolerance and the number of distinct nearest images.
     */
    record Row(String data, int N, Optional<String> score, String sampler, double eps, double sigmaOverAlpha,
               double meanNearestDist, double predictedMeanNearestDist, double ratioToPrediction, OptionalDouble tolerance,
               double delta, double fractionWithin, OptionalDouble maxHitDeviation, OptionalDouble hitChi2Pvalue,
               OptionalInt distinctNearest, boolean inMemorisationRegime, boolean withinTolerance) {
    }

    /** The point mode's results. */
    record Measured(int assertedRows, List<Row> rows) {
    }

    /**
     * C1's statistics of one recorded snapshot: Y/α(t) against the training points, with the prediction
     * (σ/α)·E|N(0, I_d)| of the mean nearest distance.
     *
     * @param t         the snapshot's time
     * @param s         σ(t)/α(t)
     * @param scaled    Y/α(t)
     * @param m         nearest-point statistics within {@code delta}
     * @param delta     the containment radius
     * @param predicted the predicted mean nearest distance
     */
    record Snap(double t, double s, Batch scaled, Memorization.Result m, double delta, double predicted) {
        double ratio() {
            return m.meanNearestDist() / predicted;
        }

        /** Measures a snapshot; {@code deltaPerS} is the containment radius over σ/α. */
        static Snap of(Snapshot snap, Sde sde, Batch train, double chiMean, double deltaPerS) {
            double t = snap.t();
            double a = sde.alpha(t);
            double s = sde.sigma(t) / a;
            Batch scaled = snap.x().copy();
            double[] v = scaled.data();
            for (int k = 0; k < v.length; k++) {
                v[k] /= a;
            }
            double delta = deltaPerS * s;
            return new Snap(t, s, scaled, Memorization.compute(scaled, train, delta), delta, s * chiMean);
        }
    }

    /** The log-log chart of the mean nearest-training distance over its prediction against ε, one line a run. */
    static LinePlotChart ratioChart(String title) {
        return new LinePlotChart(title, "stopping time eps", "ratio to prediction", true, true);
    }

    /** The claim's check: at least one row in the memorisation regime; returns how many rows are. */
    static int regimeCheck(List<Row> rows, List<Check> checks) {
        int asserted = (int) rows.stream().filter(Row::inMemorisationRegime).count();
        checks.add(Check.atLeast("rows in the memorisation regime", asserted, 1));
        return asserted;
    }

    /** The samplers of both modes: the reverse SDE (Euler–Maruyama) and the probability-flow ODE (Heun). */
    static final SamplerKind[] SAMPLERS = {SamplerKind.EM, SamplerKind.HEUN};

    static String samplerKey(SamplerKind kind) {
        return kind == SamplerKind.EM ? "sde" : "ode";
    }

    /** The sampled trajectory of one sampler from the prior, recorded at every ε. */
    static SampleResult sample(ScoreModel score, SamplerKind kind, TimeGrid grid, double[] eps, int n, long seed) {
        SamplingOptions opts = SamplingOptions.builder().kind(kind).timeGrid(grid).seed(seed).recordTimes(eps).build();
        return Samplers.fromPrior(score, n, opts, n);
    }

    /** The stopping times, ascending. */
    static double[] sortedEps(Params p) {
        double[] eps = p.eps().clone();
        java.util.Arrays.sort(eps);
        return eps;
    }

    @Override
    public ExperimentResult<Params> run(Params p, ExperimentContext ctx) {
        if (p.data() != null) {
            return MemorisationImages.run(this, p, ctx);
        }
        Sde sde = new VpSde();
        double[] eps = sortedEps(p);
        List<DataSet> sets = new ArrayList<>();
        for (int size : p.sizes()) {
            sets.add(DataSets.parse("points:d=2,n=" + size + ",seed=" + ctx.seed()));
        }
        if (p.digits() > 0) {
            sets.add(DataSets.parse("digits:n=" + p.digits() + ",seed=" + ctx.seed()));
        }
        List<Row> rows = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        LinePlotChart chart = ratioChart("Mean nearest-training distance / prediction");
        int done = 0;
        for (DataSet ds : sets) {
            Batch train = ds.points();
            double spacing = medianSpacing(train);
            FiniteDataScore score = new FiniteDataScore(sde, train);
            TimeGrid grid = TimeGrid.of(GridKind.GEOMETRIC, sde.T(), eps[0], p.steps());
            for (SamplerKind kind : SAMPLERS) {
                int n = p.samplesPerPoint() * train.size();
                SampleResult r = sample(score, kind, grid, eps, n, ctx.seed());
                String label = ds.name() + " N=" + train.size() + " " + samplerKey(kind).toUpperCase(java.util.Locale.ROOT);
                List<Row> setRows = pointRows(ds, sde, kind, r, n, spacing, label, checks);
                rows.addAll(setRows);
                setRows.forEach(row -> labels.add(label));
                chart.line(label, setRows.stream().mapToDouble(Row::eps).toArray(),
                        setRows.stream().mapToDouble(Row::ratioToPrediction).toArray(), true);
                if (train.dim() == 2 && (train.size() == p.sizes()[0] || train.size() == p.sizes()[p.sizes().length - 1])) {
                    images.add(scatter(ctx, train, r, kind, label + ", eps=" + Report.num(eps[0])));
                }
                ctx.listener().progress(++done, sets.size() * 2L, label);
            }
        }
        Png.write(ctx.out().resolve("ratio_to_prediction.png"), chart.chart());
        int asserted = regimeCheck(rows, checks);
        return new ExperimentResult<>(p, new Measured(asserted, rows), checks, report(p, rows, labels, images));
    }

    /** The rows of one (data set, sampler) of the point mode; asserted where σ/α ≤ 0.05 × the median spacing. */
    private static List<Row> pointRows(DataSet ds, Sde sde, SamplerKind kind, SampleResult r, int n, double spacing,
                                       String label, List<Check> checks) {
        Batch train = ds.points();
        int bigN = train.size();
        int d = train.dim();
        List<Row> rows = new ArrayList<>();
        for (Snapshot snap : r.trajectory()) {
            Snap m = Snap.of(snap, sde, train, meanChiNorm(d), 3 * Math.sqrt(d));
            long[] hits = m.m().hitCounts();
            double maxDev = 0;
            double chi2 = 0;
            double expect = (double) n / bigN;
            for (long h : hits) {
                maxDev = Math.max(maxDev, Math.abs(h / expect - 1));
                chi2 += (h - expect) * (h - expect) / expect;
            }
            double pValue = chi2PValue(chi2, bigN - 1);
            boolean regime = m.s() <= 0.05 * spacing;
            boolean ok = true;
            if (regime) {
                String at = label + " eps=" + Report.num(m.t()) + ": ";
                // SE of the mean distance: sd/mean of |N(0, I_d)| ≤ 0.53 (d = 2) → SE ≤ 0.53·ratio/√n
                List<Check> rowChecks = List.of(Check.near(at + "ratio to prediction", m.ratio(), 1, 5 * 0.53 / Math.sqrt(n) + 0.03),
                        Check.atLeast(at + "fraction within delta", m.m().fractionWithin(), 0.99),
                        new Check(at + "hit chi2 p-value", pValue, 1e-3, 0, pValue > 1e-3));
                checks.addAll(rowChecks);
                ok = rowChecks.stream().allMatch(Check::holds);
            }
            rows.add(new Row(ds.spec(), bigN, Optional.empty(), samplerKey(kind), m.t(), m.s(), m.m().meanNearestDist(),
                    m.predicted(), m.ratio(), OptionalDouble.empty(), m.delta(), m.m().fractionWithin(), OptionalDouble.of(maxDev),
                    OptionalDouble.of(pValue), OptionalInt.empty(), regime, ok));
        }
        return rows;
    }

    private static String scatter(ExperimentContext ctx, Batch train, SampleResult r, SamplerKind kind, String title) {
        String file = "samples_N" + train.size() + "_" + samplerKey(kind) + ".png";
        Png.write(ctx.out().resolve(file), new ScatterPlot(title).box(-1.2, 1.2, -1.2, 1.2)
                .add("samples", r.samples(), new Color(31, 119, 180), 3)
                .add("training points", train, new Color(214, 39, 40), 6).chart());
        return file;
    }

    /** The claim column of a row: yes/NO where asserted. */
    static String claimCell(Row r) {
        return r.inMemorisationRegime() ? Report.cell(r.withinTolerance()) : "(not asserted)";
    }

    private Report report(Params p, List<Row> rows, List<String> labels, List<String> images) {
        List<List<String>> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            table.add(Report.cells(labels.get(i), r.eps(), r.sigmaOverAlpha(), r.meanNearestDist(), r.predictedMeanNearestDist(),
                    r.ratioToPrediction(), r.fractionWithin(), r.maxHitDeviation().getAsDouble(), r.hitChi2Pvalue().getAsDouble(),
                    claimCell(r)));
        }
        Report rep = new Report("C1: memorisation by the exact score")
                .paragraph("Claim: " + claim() + ". Forward SDE vp; exact score of the finite sample (M10); samplers: reverse SDE "
                        + "(Euler–Maruyama) and probability-flow ODE (Heun), " + p.steps() + " geometric steps from T to the smallest ε,"
                        + " recording the particles at every ε of the sweep; " + p.samplesPerPoint() + " samples per training point. "
                        + "Distances are measured for Y/α(ε). The claim is asserted where σ/α ≤ 0.05 × the median spacing of the points.")
                .table(List.of("set / sampler", "ε", "σ/α", "mean d₁", "predicted", "ratio", "fraction within δ",
                        "max hit deviation", "χ² p-value", "claim"), table)
                .image("ratio_to_prediction.png", "Measured mean distance to the nearest training point over its prediction, against ε.");
        for (String im : images) {
            rep.image(im, "Samples (blue) over the training points (red) at the smallest ε: " + im);
        }
        return rep;
    }
}
