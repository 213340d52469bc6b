package org.pdediff.experiment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.pde.Grids;
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
import org.pdediff.score.ScoreDiagnostics;
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

    @Override
    public Outcome run(Params p, ExperimentContext ctx) {
        long t0 = System.nanoTime();
        Sde sde = new HeatSde(p.T());
        DataSet ds = DataSets.parse("gmm:k=4,radius=1.5,std=0.3,n=" + p.points() + ",seed=" + ctx.seed());
        Batch pts = ds.points();
        double c2 = ds.law().orElseThrow().covariance(0)[0];
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
        Batch centres = grid.centres();
        SampleResult sr = Samplers.create(SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(tg).seed(ctx.seed())
                .recordTimes(times).build()).sample(exact.get("finite data"), Samplers.prior(exact.get("finite data"), 0, p.samples(), ctx.seed()), 0);
        int total = times.length * (exact.size() + (p.trainSteps() > 0 ? 1 : 0));
        int done = 0;

        boolean holds = true;
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        LinePlotChart minChart = new LinePlotChart("Smallest Li-Yau margin, sigma^2 * min m",
                "t (heat time)", "sigma^2 * min margin", true, false);
        List<BufferedImage> panels = new ArrayList<>();
        int[] panelIdx = panelTimes(times.length);
        for (var e : exact.entrySet()) {
            String kind = e.getKey();
            ScoreModel score = e.getValue();
            double[] minGrid = new double[times.length];
            double[] minSamples = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                double t = times[k];
                double s2 = sde.sigma2(t);
                Snapshot snap = snapshotAt(sr, t);
                Margins mg = margins(score, centres, t);
                Margins ms = margins(score, snap.x(), t);
                boolean ok;
                Map<String, Object> row = new LinkedHashMap<>();
                if (kind.equals("one datum")) {
                    double worst = 0;
                    for (double v : mg.margin()) {
                        worst = Math.max(worst, Math.abs(v) * s2);
                    }
                    for (double v : ms.margin()) {
                        worst = Math.max(worst, Math.abs(v) * s2);
                    }
                    ok = worst <= ROUNDING;
                    row.put("max_abs_relative_margin", worst);
                } else if (kind.equals("mixture")) {
                    // all components share the covariance c²I: V_k = (α²c² + σ²)I, so ∇s ⪰ −I/(α²c² + σ²) and
                    // m ≥ 1/σ² − 1/(α²c² + σ²) > 0, approached where one component takes all the weight
                    double floor = 1 / s2 - 1 / (sde.alpha(t) * sde.alpha(t) * c2 + s2);
                    double worst = Double.POSITIVE_INFINITY;
                    for (Margins m : new Margins[] {mg, ms}) {
                        for (int i = 0; i < m.margin().length; i++) {
                            worst = Math.min(worst, (m.margin()[i] - floor) / m.scale()[i]);
                        }
                    }
                    ok = worst >= -ROUNDING;
                    row.put("isotropic_floor_relative", floor * s2);
                    row.put("min_margin_minus_floor_over_scale", worst);
                } else {
                    ok = mg.minOverScale() >= -ROUNDING && ms.minOverScale() >= -ROUNDING;
                }
                holds &= ok;
                minGrid[k] = mg.minRelative(s2);
                minSamples[k] = ms.minRelative(s2);
                row.put("score", kind);
                row.put("t", t);
                row.put("grid_min_margin", Arrays.stream(mg.margin()).min().orElseThrow());
                row.put("grid_min_relative_margin", minGrid[k]);
                row.put("grid_min_margin_over_scale", mg.minOverScale());
                row.put("grid_fraction_negative", mg.fractionNegative());
                row.put("samples_min_margin", Arrays.stream(ms.margin()).min().orElseThrow());
                row.put("samples_min_relative_margin", minSamples[k]);
                row.put("samples_min_margin_over_scale", ms.minOverScale());
                row.put("samples_fraction_negative", ms.fractionNegative());
                row.put("ok", ok);
                rows.add(row);
                table.add(List.of(kind, Report.num(t), Report.num(minGrid[k]), Report.num(mg.minOverScale()),
                        Report.num(minSamples[k]), Report.num(ms.minOverScale()), ok ? "yes" : "NO"));
                if (kind.equals("finite data") && contains(panelIdx, k)) {
                    panels.add(HeatMapPlot.render(relativeField(grid, mg.margin(), t, s2), null,
                            "exact t=" + Report.num(t) + ": sigma^2 m", 420, 360));
                }
                ctx.listener().progress(++done, total, kind + " t=" + (float) t);
            }
            minChart.line(kind + " (grid)", times, minGrid, true);
            minChart.line(kind + " (samples)", times, minSamples, true);
        }
        Png.write(ctx.out().resolve("margin_exact.png"), Png.sideBySide(panels));

        Map<String, Object> network = new LinkedHashMap<>();
        List<List<String>> netTable = new ArrayList<>();
        String netNote = networkPart(p, ctx, sde, ds, grid, times, tg, panelIdx, minChart, network, netTable);
        // the upper right is empty: margins fall with t (σ²m → c²/(c² + σ²) for the mixture, → 0 for finite data)
        minChart.chart().getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        Png.write(ctx.out().resolve("min_margin.png"), minChart.chart());

        double seconds = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("data", ds.spec());
        results.put("T", p.T());
        results.put("grid", grid.describe());
        results.put("times", times);
        results.put("rounding_tolerance", ROUNDING);
        results.put("claim_scope", "exact scores (finite data, mixture, one datum); the network part is a diagnostic");
        results.put("exact", rows);
        results.put("network", network);
        results.put("seconds", seconds);

        Report rep = new Report("C3: the Li–Yau margin of exact and learned scores")
                .paragraph("Claim: " + claim() + ". Heat flow (σ² = 2t, T = " + p.T() + "); data: " + p.points()
                        + " points from a 4-component Gaussian mixture (radius 1.5, std 0.3). Margin m = λ_min(sym ∇s) + 1/σ², "
                        + "exact Jacobians in closed form, on the cells of a " + grid.describe() + " grid and at " + p.samples()
                        + " reverse-SDE samples (Euler–Maruyama, exact finite-data score, " + p.steps()
                        + " geometric steps) recorded at " + times.length + " times.")
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
                .paragraph(netNote);
        if (!netTable.isEmpty()) {
            rep.table(List.of("t", "grid: min σ²m", "grid: fraction m < 0", "samples: min σ²m", "samples: fraction m < 0"), netTable)
                    .image("margin_network.png", "σ²·m of the trained network on the grid at several t, clipped to [−1, 1] (negative: violation of M14).")
                    .image("violations.png", "Fraction of grid cells and of samples where the network's margin is negative, against t.");
        }
        rep.image("min_margin.png", "Smallest σ²·m against t for each score, on the grid and at the samples.")
                .paragraph("Run time " + Report.num(seconds) + " s.")
                .paragraph(holds ? "Result: the claim holds for every exact score." : "Result: the claim does NOT hold (see the rows marked NO).");
        return new Outcome(holds, results, rep);
    }

    /** The network part; returns the report's paragraph about it. */
    private String networkPart(Params p, ExperimentContext ctx, Sde sde, DataSet ds, Grid grid, double[] times, TimeGrid tg,
                               int[] panelIdx, LinePlotChart minChart, Map<String, Object> network, List<List<String>> table) {
        if (p.trainSteps() == 0) {
            network.put("run", false);
            network.put("reason", "train-steps = 0");
            return "Not run: train-steps = 0.";
        }
        // a small DSM-trained network (noise parameterisation, σ² weighting), trained down to the smallest time examined
        TrainConfig cfg = TrainConfig.builder().width(p.width()).depth(2).steps(p.trainSteps()).batch(512).lr(3e-3)
                .warmup(Math.min(50, p.trainSteps() / 4)).emaDecay(0.99).epsTrain(p.tMin()).seed(ctx.seed())
                .validateEvery(Math.max(1, p.trainSteps() / 4)).validationSize(256).build();
        int base = 3 * times.length;
        ProgressListener trainProgress = (done, total, msg) -> ctx.listener().progress(base, 4 * times.length,
                "training " + done + "/" + total);
        Trainer.Result tr = new Trainer(cfg, ds, sde).train(trainProgress);
        NeuralScore net = tr.score();
        SampleResult sr = Samplers.create(SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(tg).seed(ctx.seed())
                .recordTimes(times).build()).sample(net, Samplers.prior(net, 0, p.samples(), ctx.seed()), 0);
        Batch centres = grid.centres();
        List<Map<String, Object>> perT = new ArrayList<>();
        double[] minGrid = new double[times.length];
        double[] minSamples = new double[times.length];
        double[] fracGrid = new double[times.length];
        double[] fracSamples = new double[times.length];
        List<BufferedImage> panels = new ArrayList<>();
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            double s2 = sde.sigma2(t);
            Margins mg = margins(net, centres, t);
            Margins ms = margins(net, snapshotAt(sr, t).x(), t);
            minGrid[k] = mg.minRelative(s2);
            minSamples[k] = ms.minRelative(s2);
            fracGrid[k] = mg.fractionNegative();
            fracSamples[k] = ms.fractionNegative();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t", t);
            row.put("grid_min_relative_margin", minGrid[k]);
            row.put("grid_fraction_negative", fracGrid[k]);
            row.put("samples_min_relative_margin", minSamples[k]);
            row.put("samples_fraction_negative", fracSamples[k]);
            perT.add(row);
            table.add(List.of(Report.num(t), Report.num(minGrid[k]), Report.num(fracGrid[k]), Report.num(minSamples[k]),
                    Report.num(fracSamples[k])));
            if (contains(panelIdx, k)) {
                panels.add(HeatMapPlot.render(relativeField(grid, mg.margin(), t, s2), null,
                        "network t=" + Report.num(t) + ": sigma^2 m", 420, 360));
            }
            ctx.listener().progress(3 * times.length + k + 1, 4 * times.length, "network t=" + (float) t);
        }
        Png.write(ctx.out().resolve("margin_network.png"), Png.sideBySide(panels));
        minChart.line("network (grid)", times, minGrid, true);
        minChart.line("network (samples)", times, minSamples, true);
        LinePlotChart vio = new LinePlotChart("Where the network violates M14", "t (heat time)", "fraction with margin < 0", true, false);
        vio.line("grid cells", times, fracGrid, true);
        vio.line("network samples", times, fracSamples, true);
        Png.write(ctx.out().resolve("violations.png"), vio.chart());
        Trainer.LogRow last = tr.log().get(tr.log().size() - 1);
        network.put("run", true);
        network.put("model", net.describe());
        network.put("train_steps", p.trainSteps());
        network.put("train_seconds", tr.seconds());
        network.put("final_validation_relative_error", last.valRelErr());
        network.put("per_t", perT);
        double worstGrid = Arrays.stream(fracGrid).max().orElse(0);
        double worstSamples = Arrays.stream(fracSamples).max().orElse(0);
        network.put("max_grid_fraction_negative", worstGrid);
        network.put("max_samples_fraction_negative", worstSamples);
        return "A " + net.describe() + " trained by denoising score matching for " + p.trainSteps() + " steps ("
                + Report.num(tr.seconds()) + " s; final validation relative score error " + Report.num(last.valRelErr())
                + "), exact Jacobian by forward mode. Its margin is negative on up to " + Report.num(100 * worstGrid)
                + "% of the grid cells and " + Report.num(100 * worstSamples) + "% of its own samples (per t below): there "
                + "the learned score is not the score of any data law (M14). This is a diagnostic, not part of claim_holds. "
                + "Compare with the exact finite-data score, whose margin at small t is ≈ 0 near every training point (one "
                + "point per neighbourhood: memorisation): a larger network margin there means a smoother score than the "
                + "empirical one.";
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
