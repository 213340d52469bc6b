package org.pdediff.experiment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.core.Grid;
import org.pdediff.pde.Grids;
import org.pdediff.core.GridDensity;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.report.HeatMapPlot;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.Snapshot;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.score.OneDatumScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.Sde;
import org.pdediff.train.NeuralScore;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.Trainer;

/**
 * C3 [P1]: the Li–Yau bound (M14). For every exact score ∇s ⪰ −I/σ² — for finite data ∇s = −I/σ² + Cov_π[αy]/σ⁴
 * (M10), for a Gaussian mixture ∇s = Σπ_k(−V_k⁻¹) + Cov_π[g_k] with V_k ⪰ σ²I (M11) — so the margin
 * m(x, t) = λ_min(sym ∇s(x, t)) + 1/σ(t)² is ≥ 0; on heat (σ² = 2t) its trace form is the Li–Yau inequality
 * Δ log u ≥ −d/(2t). It is sharp: m ≡ 0 for a single datum (M12), and m → 0 far from finite data, where one point
 * takes all the weight. The mixture used here has components of equal covariance c²I, so its margin obeys the stronger
 * m ≥ 1/σ² − 1/(α²c² + σ²), which is checked as well.
 *
 * <p>Measured on the heat flow for the exact score of a finite set (points drawn from a 4-component Gaussian mixture),
 * for that mixture's own score and for one datum, at log-spaced times: on the cells of a 2-D grid and at samples of
 * the exact-score reverse SDE (Euler–Maruyama from the prior) recorded at those times. The exact Jacobians are the
 * closed forms ({@link ScoreDiagnostics#jacobian}). Rounding tolerance: m is formed from numbers of size at most
 * scale = 1/σ² + |tr ∇s + d/σ²| + |s|² (the covariance terms are ≥ 0, so their size is bounded by their trace; |s|²
 * bounds the mixture's Σπ|g_k|² − |s|² cancellation), so an exact score must give m ≥ −10⁻¹²·scale (about 4500 ulps:
 * sums of up to thousands of terms and the 2 × 2 eigenvalue formula), and the one-datum margin must vanish to
 * 10⁻¹²/σ².
 *
 * <p>A trained network's score need not satisfy M14: where its margin is negative no data law has that score. The
 * network part (when run) reports, per t, the fraction of grid cells and of its own samples with m &lt; 0 and heat
 * maps of σ²m; it is a diagnostic and does not enter {@code claim_holds}, which refers to the exact scores only.
 */
public final class LiYauExperiment implements Experiment<LiYauExperiment.Params> {
    /** Relative rounding tolerance of the margin (see the class comment). */
    static final double ROUNDING = 1e-12;

    /**
     * @param T          heat horizon
     * @param points     training points (drawn from the mixture)
     * @param cells      grid cells per axis
     * @param samples    reverse-SDE samples
     * @param steps      sampler steps (geometric grid down to tMin)
     * @param tMin       smallest time examined
     * @param times      number of log-spaced times in [tMin, T/2]
     * @param trainSteps optimiser steps of the network (0: no network part)
     * @param width      hidden width of the network (depth 2)
     */
    public record Params(double T, int points, int cells, int samples, int steps, double tMin, int times, int trainSteps, int width) {
        public Params {
            if (!(T > 0) || points < 2 || cells < 8 || cells > 1024 || samples < 10 || steps < 10 || !(tMin > 0 && tMin < T)
                    || times < 2 || times > 40 || trainSteps < 0 || width < 4) {
                throw new InvalidInputException("li-yau: need T > 0, points >= 2, 8 <= cells <= 1024, samples >= 10, steps >= 10, "
                        + "0 < t-min < T, 2 <= times <= 40, train-steps >= 0, width >= 4");
            }
        }

        public static Params defaults(boolean quick) {
            return quick ? new Params(1, 64, 48, 400, 200, 1e-3, 5, 1500, 32)
                    : new Params(1, 400, 128, 4000, 1000, 1e-3, 10, 6000, 64);
        }
    }

    @Override
    public String name() {
        return "li-yau";
    }

    @Override
    public String claim() {
        return "C3: every exact score satisfies lambda_min(grad s) + 1/sigma^2 >= 0 (Li-Yau, M14), with equality for one datum; "
                + "a trained network's violations are mapped as a diagnostic";
    }

    /** Margins m = λ_min(sym ∇s) + 1/σ², and the rounding scale of each, at points x. */
    record Margins(double[] margin, double[] scale) {
        double minRelative(double sigma2) {
            return Arrays.stream(margin).min().orElseThrow() * sigma2;
        }

        double minOverScale() {
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < margin.length; i++) {
                m = Math.min(m, margin[i] / scale[i]);
            }
            return m;
        }

        double fractionNegative() {
            return Arrays.stream(margin).filter(v -> v < 0).count() / (double) margin.length;
        }
    }

    static Margins margins(ScoreModel score, Batch x, double t) {
        int d = x.dim();
        double[] jac = ScoreDiagnostics.jacobian(score, x, t);
        double s2 = score.sde().sigma2(t);
        double[] lam = ScoreDiagnostics.liYauMargin(jac, d, s2);
        Batch s = score.score(x, t);
        double[] scale = new double[lam.length];
        for (int i = 0; i < lam.length; i++) {
            double tr = 0;
            double ss = 0;
            for (int j = 0; j < d; j++) {
                tr += jac[i * d * d + j * d + j];
                ss += s.get(i, j) * s.get(i, j);
            }
            scale[i] = 1 / s2 + Math.abs(tr + d / s2) + ss;
        }
        return new Margins(lam, scale);
    }

    /** One (exact score, t) row; the first three keys belong to one datum (the first) and the mixture (the others). */
    record ExactRow(OptionalDouble maxAbsRelativeMargin, OptionalDouble isotropicFloorRelative,
                    OptionalDouble minMarginMinusFloorOverScale, String score, double t, double gridMinMargin,
                    double gridMinRelativeMargin, double gridMinMarginOverScale, double gridFractionNegative,
                    double samplesMinMargin, double samplesMinRelativeMargin, double samplesMinMarginOverScale,
                    double samplesFractionNegative, boolean ok) {
    }

    /** One t of the network part. */
    record NetRow(double t, double gridMinRelativeMargin, double gridFractionNegative, double samplesMinRelativeMargin,
                  double samplesFractionNegative) {
    }

    /** The network part when it ran. */
    record NetworkRun(String model, int trainSteps, double trainSeconds, double finalValidationRelativeError, List<NetRow> perT,
                      double maxGridFractionNegative, double maxSamplesFractionNegative) {
    }

    /** The network part: run, or the reason it did not. */
    record Network(boolean run, Optional<String> reason, @ResultJson.Inline Optional<NetworkRun> details) {
    }

    /** What results.json holds besides the common keys. */
    record Measured(String data, double T, String grid, double[] times, double roundingTolerance, String claimScope,
                    List<ExactRow> exact, Network network, double seconds) {
    }

    /** Where the margins are measured: the grid, the times, and the exact score's samples recorded at those times. */
    private record Setting(Sde sde, DataSet ds, Grid grid, double[] times, TimeGrid tg, int[] panelIdx, SampleResult samples,
                           LinePlotChart minChart) {
    }

    @Override
    public ExperimentResult<Params> run(Params p, ExperimentContext ctx) {
        long t0 = System.nanoTime();
        Sde sde = new HeatSde(p.T());
        DataSet ds = DataSets.parse("gmm:k=4,radius=1.5,std=0.3,n=" + p.points() + ",seed=" + ctx.seed());
        Batch pts = ds.points();
        Map<String, ScoreModel> exact = new LinkedHashMap<>();
        exact.put("finite data", new FiniteDataScore(sde, pts));
        exact.put("mixture", new GaussianMixtureScore(sde, ds.law().orElseThrow()));
        exact.put("one datum", new OneDatumScore(sde, pts.row(0)));
        TimeGrid tg = TimeGrid.of(GridKind.GEOMETRIC, p.T(), p.tMin(), p.steps());
        double[] times = new double[p.times()];
        for (int k = 0; k < times.length; k++) {
            double want = 0.5 * p.T() * Math.pow(p.tMin() / (0.5 * p.T()), k / (times.length - 1.0));
            times[k] = tg.time(tg.nearest(want));
        }
        times = Arrays.stream(times).distinct().filter(t -> t > 0).toArray();
        // the box holds p_t for t ≤ T/10 (±5σ around the data): where the margin varies; larger t are seen by the samples
        Grid grid = Grids.covering(pts, sde, new double[] {p.tMin(), 0.1 * p.T()}, false, p.cells());
        SampleResult sr = Samplers.create(SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(tg).seed(ctx.seed())
                .recordTimes(times).build()).sample(exact.get("finite data"), Samplers.prior(exact.get("finite data"), 0, p.samples(), ctx.seed()), 0);
        Setting set = new Setting(sde, ds, grid, times, tg, panelTimes(times.length), sr, new LinePlotChart(
                "Smallest Li-Yau margin, sigma^2 * min m", "t (heat time)", "sigma^2 * min margin", true, false));
        int total = times.length * (exact.size() + (p.trainSteps() > 0 ? 1 : 0));
        List<Check> checks = new ArrayList<>();
        List<ExactRow> rows = new ArrayList<>();
        List<BufferedImage> panels = new ArrayList<>();
        for (var e : exact.entrySet()) {
            double[] minGrid = new double[times.length];
            double[] minSamples = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                Margins mg = margins(e.getValue(), grid.centres(), times[k]);
                ExactRow row = exactRow(set, e.getKey(), e.getValue(), k, mg, checks);
                rows.add(row);
                minGrid[k] = row.gridMinRelativeMargin();
                minSamples[k] = row.samplesMinRelativeMargin();
                if (e.getKey().equals("finite data") && contains(set.panelIdx(), k)) {
                    panels.add(HeatMapPlot.render(relativeField(grid, mg.margin(), times[k], sde.sigma2(times[k])), null,
                            "exact t=" + Report.num(times[k]) + ": sigma^2 m", 420, 360));
                }
                ctx.listener().progress(rows.size(), total, e.getKey() + " t=" + (float) times[k]);
            }
            set.minChart().line(e.getKey() + " (grid)", times, minGrid, true);
            set.minChart().line(e.getKey() + " (samples)", times, minSamples, true);
        }
        Png.write(ctx.out().resolve("margin_exact.png"), Png.sideBySide(panels));
        List<List<String>> netTable = new ArrayList<>();
        Network network = networkPart(p, ctx, set, netTable);
        // the upper right is empty: margins fall with t (σ²m → c²/(c² + σ²) for the mixture, → 0 for finite data)
        set.minChart().chart().getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        Png.write(ctx.out().resolve("min_margin.png"), set.minChart().chart());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Measured measured = new Measured(ds.spec(), p.T(), grid.describe(), times, ROUNDING,
                "exact scores (finite data, mixture, one datum); the network part is a diagnostic", rows, network, seconds);
        return new ExperimentResult<>(p, measured, checks, report(p, set, rows, network, netTable, seconds));
    }

    /**
     * The margins of one exact score at the k-th time, on the grid ({@code mg}) and at the samples, with its checks:
     * one datum |σ²m| ≤ rounding (sharp), the mixture m ≥ its isotropic floor, finite data m ≥ 0 (all relative to scale).
     */
    private static ExactRow exactRow(Setting set, String kind, ScoreModel score, int k, Margins mg, List<Check> checks) {
        double t = set.times()[k];
        double s2 = set.sde().sigma2(t);
        String at = kind + " t=" + Report.num(t) + ": ";
        Margins ms = margins(score, snapshotAt(set.samples(), t).x(), t);
        OptionalDouble maxAbs = OptionalDouble.empty();
        OptionalDouble floorRel = OptionalDouble.empty();
        OptionalDouble overFloor = OptionalDouble.empty();
        List<Check> rowChecks;
        if (kind.equals("one datum")) {
            double worst = 0;
            for (double v : mg.margin()) {
                worst = Math.max(worst, Math.abs(v) * s2);
            }
            for (double v : ms.margin()) {
                worst = Math.max(worst, Math.abs(v) * s2);
            }
            maxAbs = OptionalDouble.of(worst);
            rowChecks = List.of(Check.zero(at + "max |sigma^2 m|", worst, ROUNDING));
        } else if (kind.equals("mixture")) {
            // all components share the covariance c²I: V_k = (α²c² + σ²)I, so ∇s ⪰ −I/(α²c² + σ²) and
            // m ≥ 1/σ² − 1/(α²c² + σ²) > 0, approached where one component takes all the weight
            double c2 = set.ds().law().orElseThrow().covariance(0)[0];
            double floor = 1 / s2 - 1 / (set.sde().alpha(t) * set.sde().alpha(t) * c2 + s2);
            double worst = Double.POSITIVE_INFINITY;
            for (Margins m : new Margins[] {mg, ms}) {
                for (int i = 0; i < m.margin().length; i++) {
                    worst = Math.min(worst, (m.margin()[i] - floor) / m.scale()[i]);
                }
            }
            floorRel = OptionalDouble.of(floor * s2);
            overFloor = OptionalDouble.of(worst);
            rowChecks = List.of(Check.atLeast(at + "min (m - floor)/scale", worst, -ROUNDING));
        } else {
            rowChecks = List.of(Check.atLeast(at + "grid min m/scale", mg.minOverScale(), -ROUNDING),
                    Check.atLeast(at + "samples min m/scale", ms.minOverScale(), -ROUNDING));
        }
        checks.addAll(rowChecks);
        return new ExactRow(maxAbs, floorRel, overFloor, kind, t, Arrays.stream(mg.margin()).min().orElseThrow(),
                mg.minRelative(s2), mg.minOverScale(), mg.fractionNegative(), Arrays.stream(ms.margin()).min().orElseThrow(),
                ms.minRelative(s2), ms.minOverScale(), ms.fractionNegative(), rowChecks.stream().allMatch(Check::holds));
    }

    /** The network part (a diagnostic): a small DSM-trained network's margins on the grid and at its own samples. */
    private static Network networkPart(Params p, ExperimentContext ctx, Setting set, List<List<String>> table) {
        if (p.trainSteps() == 0) {
            return new Network(false, Optional.of("train-steps = 0"), Optional.empty());
        }
        double[] times = set.times();
        // a small DSM-trained network (noise parameterisation, σ² weighting), trained down to the smallest time examined
        TrainConfig cfg = TrainConfig.builder().width(p.width()).depth(2).steps(p.trainSteps()).batch(512).lr(3e-3)
                .warmup(Math.min(50, p.trainSteps() / 4)).emaDecay(0.99).epsTrain(p.tMin()).seed(ctx.seed())
                .validateEvery(Math.max(1, p.trainSteps() / 4)).validationSize(256).build();
        int base = 3 * times.length;
        ProgressListener trainProgress = (done, total, msg) -> ctx.listener().progress(base, 4 * times.length,
                "training " + done + "/" + total);
        Trainer.Result tr = new Trainer(cfg, set.ds(), set.sde()).train(trainProgress);
        NeuralScore net = tr.score();
        SampleResult sr = Samplers.create(SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(set.tg()).seed(ctx.seed())
                .recordTimes(times).build()).sample(net, Samplers.prior(net, 0, p.samples(), ctx.seed()), 0);
        List<NetRow> perT = new ArrayList<>();
        List<BufferedImage> panels = new ArrayList<>();
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            double s2 = set.sde().sigma2(t);
            Margins mg = margins(net, set.grid().centres(), t);
            Margins ms = margins(net, snapshotAt(sr, t).x(), t);
            NetRow row = new NetRow(t, mg.minRelative(s2), mg.fractionNegative(), ms.minRelative(s2), ms.fractionNegative());
            perT.add(row);
            table.add(Report.cells(t, row.gridMinRelativeMargin(), row.gridFractionNegative(), row.samplesMinRelativeMargin(),
                    row.samplesFractionNegative()));
            if (contains(set.panelIdx(), k)) {
                panels.add(HeatMapPlot.render(relativeField(set.grid(), mg.margin(), t, s2), null,
                        "network t=" + Report.num(t) + ": sigma^2 m", 420, 360));
            }
            ctx.listener().progress(3 * times.length + k + 1, 4 * times.length, "network t=" + (float) t);
        }
        Png.write(ctx.out().resolve("margin_network.png"), Png.sideBySide(panels));
        double[] fracGrid = perT.stream().mapToDouble(NetRow::gridFractionNegative).toArray();
        double[] fracSamples = perT.stream().mapToDouble(NetRow::samplesFractionNegative).toArray();
        set.minChart().line("network (grid)", times, perT.stream().mapToDouble(NetRow::gridMinRelativeMargin).toArray(), true);
        set.minChart().line("network (samples)", times, perT.stream().mapToDouble(NetRow::samplesMinRelativeMargin).toArray(), true);
        LinePlotChart vio = new LinePlotChart("Where the network violates M14", "t (heat time)", "fraction with margin < 0", true, false);
        vio.line("grid cells", times, fracGrid, true);
        vio.line("network samples", times, fracSamples, true);
        Png.write(ctx.out().resolve("violations.png"), vio.chart());
        Trainer.LogRow last = tr.log().get(tr.log().size() - 1);
        return new Network(true, Optional.empty(), Optional.of(new NetworkRun(net.describe(), p.trainSteps(), tr.seconds(),
                last.valRelErr(), perT, Arrays.stream(fracGrid).max().orElse(0), Arrays.stream(fracSamples).max().orElse(0))));
    }

    /** The report's paragraph about the network part. */
    private static String networkNote(Network network) {
        if (network.details().isEmpty()) {
            return "Not run: " + network.reason().orElse("") + ".";
        }
        NetworkRun n = network.details().get();
        return "A " + n.model() + " trained by denoising score matching for " + n.trainSteps() + " steps ("
                + Report.num(n.trainSeconds()) + " s; final validation relative score error " + Report.num(n.finalValidationRelativeError())
                + "), exact Jacobian by forward mode. Its margin is negative on up to " + Report.num(100 * n.maxGridFractionNegative())
                + "% of the grid cells and " + Report.num(100 * n.maxSamplesFractionNegative()) + "% of its own samples (per t below): there "
                + "the learned score is not the score of any data law (M14). This is a diagnostic, not part of claim_holds. "
                + "Compare with the exact finite-data score, whose margin at small t is ≈ 0 near every training point (one "
                + "point per neighbourhood: memorisation): a larger network margin there means a smoother score than the "
                + "empirical one.";
    }

    private Report report(Params p, Setting set, List<ExactRow> rows, Network network, List<List<String>> netTable, double seconds) {
        List<List<String>> table = new ArrayList<>();
        for (ExactRow r : rows) {
            table.add(Report.cells(r.score(), r.t(), r.gridMinRelativeMargin(), r.gridMinMarginOverScale(), r.samplesMinRelativeMargin(),
                    r.samplesMinMarginOverScale(), r.ok()));
        }
        Report rep = new Report("C3: the Li–Yau margin of exact and learned scores")
                .paragraph("Claim: " + claim() + ". Heat flow (σ² = 2t, T = " + p.T() + "); data: " + p.points()
                        + " points from a 4-component Gaussian mixture (radius 1.5, std 0.3). Margin m = λ_min(sym ∇s) + 1/σ², "
                        + "exact Jacobians in closed form, on the cells of a " + set.grid().describe() + " grid and at " + p.samples()
                        + " reverse-SDE samples (Euler–Maruyama, exact finite-data score, " + p.steps()
                        + " geometric steps) recorded at " + set.times().length + " times.")
                .paragraph("Pass criteria (rounding only): m ≥ −10⁻¹²·scale with scale = 1/σ² + |tr∇s + d/σ²| + |s|² for every "
                        + "point; one datum: |σ²m| ≤ 10⁻¹² (sharp). claim_holds refers to these exact scores only.")
                .heading("Exact scores")
                .table(List.of("score", "t", "grid: min σ²m", "grid: min m/scale", "samples: min σ²m", "samples: min m/scale", "ok"), table)
                .paragraph("Sharpness: for one datum m ≡ 0; for the finite set the smallest σ²m is close to 0 (attained far "
                        + "from the data, where one point takes all the weight). The mixture's components share the covariance "
                        + "c²I (c = 0.3), so its margin obeys the stronger m ≥ 1/σ² − 1/(α²c² + σ²) (σ²m ≥ c²/(c² + σ²) on heat), "
                        + "attained where one component dominates; it is checked too (results.json: isotropic_floor_relative).")
                .image("margin_exact.png", "σ²·m of the finite-data exact score on the grid at several t, clipped to [−1, 1] (≥ 0 everywhere).")
                .heading("Trained network (diagnostic)")
                .paragraph(networkNote(network));
        if (!netTable.isEmpty()) {
            rep.table(List.of("t", "grid: min σ²m", "grid: fraction m < 0", "samples: min σ²m", "samples: fraction m < 0"), netTable)
                    .image("margin_network.png", "σ²·m of the trained network on the grid at several t, clipped to [−1, 1] (negative: violation of M14).")
                    .image("violations.png", "Fraction of grid cells and of samples where the network's margin is negative, against t.");
        }
        return rep.image("min_margin.png", "Smallest σ²·m against t for each score, on the grid and at the samples.")
                .paragraph("Run time " + Report.num(seconds) + " s.");
    }

    /** σ²·m clipped to [−1, 1] as a grid field for a heat map. */
    static GridDensity relativeField(Grid grid, double[] margin, double t, double s2) {
        double[] v = new double[margin.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(-1, Math.min(1, margin[i] * s2));
        }
        return new GridDensity(grid, v, t);
    }

    /** Up to four indices spread over the times, for heat-map panels. */
    static int[] panelTimes(int n) {
        int m = Math.min(4, n);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = (int) Math.round(i * (n - 1) / (double) Math.max(1, m - 1));
        }
        return Arrays.stream(idx).distinct().toArray();
    }

    /** The recorded snapshot at time t (record times are grid times, so they match to rounding). */
    static Snapshot snapshotAt(SampleResult r, double t) {
        for (Snapshot s : r.trajectory()) {
            if (Math.abs(s.t() - t) <= 1e-12 * t) {
                return s;
            }
        }
        throw new IllegalStateException("no snapshot recorded at t=" + t);
    }

    private static boolean contains(int[] a, int k) {
        return Arrays.stream(a).anyMatch(v -> v == k);
    }
}
