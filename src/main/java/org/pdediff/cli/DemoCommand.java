package org.pdediff.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.OutputSet;
import org.pdediff.core.Batch;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.DataSpec;
import org.pdediff.metrics.HeldOutW2;
import org.pdediff.metrics.Memorization;
import org.pdediff.metrics.Wasserstein;
import org.pdediff.pde.Grids;
import org.pdediff.pde.ForwardFokkerPlanck;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.pde.MixtureLaw;
import org.pdediff.report.HeatMapPlot;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.report.ScatterPlot;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.Likelihood;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff demo}: the main job on a built-in default (moons). The exact score of the training set (M10) against
 * a quickly trained network (denoising score matching), each sampled by the reverse SDE (M6, Euler–Maruyama) and the
 * probability-flow ODE (M7, Heun); particles over the forward Fokker–Planck density on a grid (M3); memorisation
 * (claim C1: exact-score samples sit at √(π/2)·σ(ε)/α(ε) from a training point) and exact W2 to a held-out sample;
 * one HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "On 2-D data: exact score vs a quickly trained network, SDE vs ODE, particles over grid densities, memorisation and W2; one HTML report.")
public final class DemoCommand implements Callable<Integer> {
    /** Held-out samples of the data law against which the generalisation ratio is averaged (see {@link HeldOutW2}). */
    static final int HELD_OUT_SETS = 8;

    /**
     * Samples of the true law per held-out set in the reference an ideal sampler reaches (see
     * {@link DataSets#iidSample}): 4 × 8 sets put the reference's standard error at about half the network's.
     */
    static final int TRUE_LAW_SETS_PER_HELD_OUT = 4;

    /** The generalisation target: W2 to held-out samples within this factor of the reference's. */
    static final double TARGET_RATIO = 1.3;

    @Mixin
    SharedOptions.Seed seed;

    @Mixin
    SharedOptions.JsonOutput json;

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder.")
    Path out;

    @Mixin
    SharedOptions.Data data = new SharedOptions.Data("moons:n=1000");

    @Option(names = "--n", defaultValue = "1000", description = "Samples per (score, sampler).")
    int n;

    @Option(names = "--sets", defaultValue = "8", description = "Generated sets of --n samples per network run (1..8), each "
            + "compared with its own held-out set: the generalisation ratio is decided on their mean.")
    int sets;

    @Option(names = "--exact-sets", defaultValue = "4", description = "Generated sets per exact-score run (1..8; the exact "
            + "score's reverse SDE is the slowest run, and its ratio is a reference, not the check).")
    int exactSets;

    @Option(names = "--train-steps", defaultValue = "12000", description = "Training steps of the network (batch 512, learning rate 2e-3, then 5e-4 from 7/12 and 1e-4 from 10/12 of the steps).")
    int trainSteps;



    @Override
    public Integer call() {
        Checks.above("--n", n, 1);
        if (sets < 1 || sets > HELD_OUT_SETS || exactSets < 1 || exactSets > HELD_OUT_SETS) {
            throw new org.pdediff.core.InvalidInputException("--sets and --exact-sets must be in 1.." + HELD_OUT_SETS + ", got "
                    + sets + " and " + exactSets);
        }
        try (OutputSet set = OutputSet.open(out, Inputs.of(data.value))) {
            return run(set);
        }
    }

    /**
     * One (score, sampler) run of the demo: {@code sets} generated sets of {@code n} samples in one call (particles
     * k·n .. (k+1)·n − 1 are set k; set 0 is the n-particle run of earlier demos).
     */
    private record Run(String score, String sampler, SampleResult result, double seconds, int sets, int n) {
        /** The first generated set (what the single-set figures, the CSVs and the plots use). */
        Batch first() {
            return result.samples().rows(0, n);
        }
    }

    /**
     * The training set, a held-out sample of the same law, the SDE, the two scores and {@link #HELD_OUT_SETS} held-out
     * samples (the first is {@code test}) over which the generalisation check averages.
     */
    private record Setup(DataSet ds, DataSet test, Sde sde, ScoreModel exact, ScoreModel network, Trainer.Result trained,
                         List<Batch> heldOut) {
        /** Rows compared per W2: the sample size, capped by the training and held-out sets. */
        int heldOutRows(int n) {
            return Math.min(n, Math.min(ds.size(), test.size()));
        }
    }

    private static final double EPS = 1e-3;

    private int run(OutputSet set) {
        Path dir = set.dir();
        RunRecord rec = new RunRecord("demo");
        DataSet ds = DataSets.parse(data.value);
        ds.points().requireDim(2, "demo data set " + ds.name());
        DataSet test = DataSpec.parse(ds.spec()).replacing("seed", seed.value + 1000).load();
        Sde sde = Sdes.parse("vp");
        TrainConfig cfg = trainConfig();
        rec.param("data", ds.spec()).param("test_data", test.spec()).param("sde", sde.spec()).param("n", n)
                .param("eps", EPS).param("train", cfg.toMap());
        rec.put("seed", seed.value).put("data_hash", ds.hash());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("data", ds.spec());
        summary.put("sde", sde.spec());
        summary.put("eps", EPS);
        Trainer.Result trained;
        try (ProgressBars bar = ProgressBars.open("demo: training the network", !json.value)) {
            trained = new Trainer(cfg, ds, sde).train(bar.listener());
        }
        // W2 between two n-samples of one law varies by ±20% with the draw: the generalisation ratio is taken between
        // means over the same K held-out sets (see HeldOutW2)
        List<Batch> heldOut = new ArrayList<>();
        for (int k = 0; k < HELD_OUT_SETS; k++) {
            heldOut.add(k == 0 ? test.points() : DataSpec.parse(ds.spec()).replacing("seed", seed.value + 1000 + k).load().points());
        }
        Setup su = new Setup(ds, test, sde, new FiniteDataScore(sde, ds.points()), trained.score(), trained, heldOut);
        summary.put("train_seconds", round(trained.seconds()));
        summary.put("train_steps_per_s", round(trained.stepsPerSecond()));
        List<Run> runs = sample(su, dir);
        Report rep = report(su, runs, summary, dir);
        rep.writeTo(dir);
        rec.put("summary", summary);
        rec.writeTo(dir);
        Json.write(dir.resolve("summary.json"), summary);
        AtomicFiles.writeString(dir.resolve("summary.md"), rep.markdown());
        set.commit();
        if (json.value) {
            System.out.println(Json.compact(summary));
        } else {
            System.out.println(rep.markdown().replaceAll("!\\[[^]]*]\\([^)]*\\)\\n\\n", ""));
            System.out.println("Report: " + out.resolve("report.html"));
        }
        return 0;
    }

    /** The network's training configuration. */
    private TrainConfig trainConfig() {
        // Learning-rate stages: measured on moons (n = 1000, seed 0, 1000 samples) against a held-out sample, the network's
        // W2 falls from 0.116 (ODE) / 0.129 (SDE) with 4,000 steps at a constant 2e-3 to 0.082 / 0.097 with 12,000 steps
        // and the stages below; 20,000 steps gave no further gain (0.083 / 0.100).
        List<double[]> stages = trainSteps >= 12 ? List.of(new double[] {Math.round(trainSteps * 7.0 / 12), 5e-4},
                new double[] {Math.round(trainSteps * 10.0 / 12), 1e-4}) : List.of();
        return TrainConfig.builder().steps(trainSteps).batch(512).lr(2e-3).lrStages(stages).width(128).depth(3)
                .seed(seed.value).validateEvery(Math.max(1, trainSteps / 10)).build();
    }

    /** Each score sampled by the reverse SDE and the probability-flow ODE; writes the sample CSVs and data.csv. */
    private List<Run> sample(Setup su, Path dir) {
        double tPanel = 0.05;
        SamplingOptions sdeOpts = SamplingOptions.builder().kind(SamplerKind.EM).grid(GridKind.GEOMETRIC).steps(500).eps(EPS).seed(seed.value)
                .recordTimes(tPanel).build();
        SamplingOptions odeOpts = SamplingOptions.builder().kind(SamplerKind.HEUN).grid(GridKind.GEOMETRIC).steps(100).eps(EPS).seed(seed.value).build();
        List<Run> runs = new ArrayList<>();
        for (String which : new String[] {"exact", "network"}) {
            ScoreModel s = which.equals("exact") ? su.exact() : su.network();
            int k = which.equals("exact") ? exactSets : sets;
            for (SamplingOptions o : new SamplingOptions[] {sdeOpts, odeOpts}) {
                String sampler = o.kind() == SamplerKind.EM ? "sde" : "ode";
                long t0 = System.nanoTime();
                SampleResult r;
                try (ProgressBars bar = ProgressBars.open("demo: " + which + " score, " + sampler, !json.value)) {
                    r = Samplers.fromPrior(s, k * n, o.withListener(bar.listener()), n);
                }
                Run run = new Run(which, sampler, r, (System.nanoTime() - t0) * 1e-9, k, n);
                runs.add(run);
                Csv.write(dir.resolve("samples_" + which + "_" + sampler + ".csv"), run.first());
            }
        }
        Csv.write(dir.resolve("data.csv"), su.ds().points());
        return runs;
    }

    /**
     * Memorisation against the training set and exact W2 to a held-out sample, per run: the summary's rows and the
     * table. The single-set figures (memorisation, W2 to the first held-out set, mean W2 to the K held-out sets) are
     * those of the first generated set; the paired figures pair generated set k with held-out set k.
     */
    private List<Map<String, Object>> metrics(Setup su, List<Run> runs, HeldOutW2 floorK, List<List<String>> table) {
        Batch testN = su.test().points().rows(0, Math.min(n, su.test().size()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Run r : runs) {
            Memorization.Result m = Memorization.compute(r.first(), su.ds().points());
            double w2 = Wasserstein.exact(r.first().rows(0, testN.size()), testN).distance();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("score", r.score());
            row.put("sampler", r.sampler());
            row.put("nfe", r.result().nfe());
            row.put("seconds", round(r.seconds()));
            row.put("mean_nearest_dist", m.meanNearestDist());
            row.put("fraction_within", m.fractionWithin());
            row.put("delta", m.delta());
            row.put("w2_to_test", w2);
            HeldOutW2 wk = HeldOutW2.of(r.first(), su.heldOut(), su.heldOutRows(n));
            row.put("w2_to_held_out_mean", wk.mean());
            row.put("w2_to_held_out_sd", wk.sd());
            HeldOutW2 paired = pairedW2(su, r);
            HeldOutW2.Ratio ratio = HeldOutW2.Ratio.of(paired, floorK);
            row.put("generated_sets", r.sets());
            row.put("w2_paired_mean", paired.mean());
            row.put("w2_paired_sd", paired.sd());
            row.put("w2_paired_values", paired.values());
            row.put("ratio_to_floor_paired_mean", ratio.mean());
            row.put("ratio_to_floor_paired_sd", ratio.perSetSd());
            row.put("ratio_to_floor_paired_se", ratio.se());
            rows.add(row);
            table.add(List.of(r.score(), r.sampler(), Long.toString(r.result().nfe()), Report.num(r.seconds()),
                    Report.num(m.meanNearestDist()), Report.num(m.fractionWithin()), Report.num(w2),
                    Report.num(wk.mean()) + " ± " + Report.num(wk.sd()),
                    r.sets() + ": " + Report.num(paired.mean()) + " ± " + Report.num(paired.sd()),
                    Report.num(ratio.mean()) + " ± " + Report.num(ratio.se())));
        }
        return rows;
    }

    /** W2 of the run's generated set k to held-out set k, k &lt; the run's sets (see {@link HeldOutW2#paired}). */
    private HeldOutW2 pairedW2(Setup su, Run r) {
        return HeldOutW2.paired(r.result().samples(), r.sets(), su.heldOut(), su.heldOutRows(n));
    }

    /**
     * The reference an ideal sampler reaches: {@link #TRUE_LAW_SETS_PER_HELD_OUT}·K independent n-samples of the data
     * law (iid draws, {@link DataSets#iidSample}, seeds seed + 2000 + j), sample j against held-out set j mod K; null
     * when the data set is a fixed list of points (no law to draw from).
     */
    private HeldOutW2 trueLaw(Setup su) {
        if (!DataSets.isLaw(DataSpec.parse(su.ds().spec()).name())) {
            return null;
        }
        int rows = su.heldOutRows(n);
        List<Batch> samples = new ArrayList<>();
        for (int j = 0; j < TRUE_LAW_SETS_PER_HELD_OUT * HELD_OUT_SETS; j++) {
            samples.add(DataSets.iidSample(su.ds(), rows, seed.value + 2000 + j));
        }
        return HeldOutW2.cycled(samples, su.heldOut(), rows);
    }

    /**
     * Generalisation check (issue: the network's W2 to held-out samples within 1.3× of the floor, while its samples
     * stay farther from the training points than the exact score's). The floor is the mean W2 that independent
     * samples of the true law reach against the same held-out sets (an ideal sampler); the training set is no such
     * floor where the generator stratifies (moons: exactly n/2 per moon, which no sampler reproduces: measured, true-law
     * samples reach 1.2–1.3× the training set's W2). Decided on
     * mean_k W2(generated_k, held-out_k) / mean_j W2(true-law sample_j, held-out_{j mod K}) of the network's better
     * sampler; where the data set has no law, on the training-set floor as before.
     */
    private static Map<String, Object> generalisation(List<Map<String, Object>> rows, double w2TrainTest, HeldOutW2 floorK,
                                                      HeldOutW2 truth) {
        double bestNet = Double.POSITIVE_INFINITY;
        double bestNetMean = Double.POSITIVE_INFINITY;
        double exactBestMean = Double.POSITIVE_INFINITY;
        double netNearest = Double.POSITIVE_INFINITY;
        double exactNearest = 0;
        Map<String, Object> bestPaired = null;
        Map<String, Object> exactPaired = null;
        for (Map<String, Object> row : rows) {
            double rp = (Double) row.get("ratio_to_floor_paired_mean");
            if (row.get("score").equals("network")) {
                bestPaired = bestPaired == null || rp < (Double) bestPaired.get("ratio_to_floor_paired_mean") ? row : bestPaired;
            } else {
                exactPaired = exactPaired == null || rp < (Double) exactPaired.get("ratio_to_floor_paired_mean") ? row : exactPaired;
            }
            if (row.get("score").equals("network")) {
                bestNet = Math.min(bestNet, (Double) row.get("w2_to_test"));
                bestNetMean = Math.min(bestNetMean, (Double) row.get("w2_to_held_out_mean"));
                netNearest = Math.min(netNearest, (Double) row.get("mean_nearest_dist"));
            } else {
                exactNearest = Math.max(exactNearest, (Double) row.get("mean_nearest_dist"));
                exactBestMean = Math.min(exactBestMean, (Double) row.get("w2_to_held_out_mean"));
            }
        }
        Map<String, Object> gen = new LinkedHashMap<>();
        gen.put("network_best_w2_to_test", bestNet);
        gen.put("ratio_to_floor", bestNet / w2TrainTest);
        gen.put("target_ratio", TARGET_RATIO);
        gen.put("held_out_sets", HELD_OUT_SETS);
        gen.put("floor_mean", floorK.mean());
        gen.put("floor_sd", floorK.sd());
        gen.put("network_best_w2_to_held_out_mean", bestNetMean);
        gen.put("exact_best_w2_to_held_out_mean", exactBestMean);
        gen.put("ratio_to_floor_mean", bestNetMean / floorK.mean());
        gen.put("exact_ratio_to_floor_mean", exactBestMean / floorK.mean());
        gen.put("ratio_to_floor_single", bestNet / w2TrainTest);
        // Paired estimator (decides within_target): K generated sets, set k against held-out set k. The figures above
        // are of the first generated set alone (ratio_to_floor_mean: its mean over the K held-out sets), kept for
        // comparison with earlier reports; a single generated set of 1,000 moons samples varies by about ±0.2 in ratio.
        gen.put("estimator", "paired: mean_k W2(generated_k, held_out_k) / mean_k W2(training set, held_out_k), k < K");
        gen.put("generated_sets_network", bestPaired == null ? 0 : bestPaired.get("generated_sets"));
        gen.put("generated_sets_exact", exactPaired == null ? 0 : exactPaired.get("generated_sets"));
        gen.put("network_best_sampler", bestPaired == null ? "" : bestPaired.get("sampler"));
        double paired = bestPaired == null ? Double.NaN : (Double) bestPaired.get("ratio_to_floor_paired_mean");
        gen.put("ratio_to_floor_paired_mean", paired);
        gen.put("ratio_to_floor_paired_sd", bestPaired == null ? Double.NaN : bestPaired.get("ratio_to_floor_paired_sd"));
        gen.put("ratio_to_floor_paired_se", bestPaired == null ? Double.NaN : bestPaired.get("ratio_to_floor_paired_se"));
        gen.put("exact_ratio_to_floor_paired_mean", exactPaired == null ? Double.NaN : exactPaired.get("ratio_to_floor_paired_mean"));
        gen.put("exact_ratio_to_floor_paired_sd", exactPaired == null ? Double.NaN : exactPaired.get("ratio_to_floor_paired_sd"));
        gen.put("within_target_first_set", bestNetMean <= TARGET_RATIO * floorK.mean());
        gen.put("within_target_training_floor", paired <= TARGET_RATIO);
        gen.put("within_target", truth != null && bestPaired != null
                ? trueLawCheck(gen, bestPaired, exactPaired, truth, floorK) : trainingFloorCheck(gen, paired));
        gen.put("farther_from_training_points_than_exact", netNearest > exactNearest);
        return gen;
    }

    /**
     * The check against the true law's own W2 to the held-out sets: q = mean_k W2(generated_k, held-out_k) /
     * mean_j W2(true-law sample_j, held-out_{j mod K}) over the same held-out sets, within {@link #TARGET_RATIO}.
     */
    private static boolean trueLawCheck(Map<String, Object> gen, Map<String, Object> bestPaired, Map<String, Object> exactPaired,
                                        HeldOutW2 truth, HeldOutW2 floorK) {
        HeldOutW2.Quotient q = HeldOutW2.Quotient.of(pairedOf(bestPaired), sameSets(truth, bestPaired));
        gen.put("target_reference", "true_law");
        gen.put("true_law_reference", "iid draws of the data law (uniform n-subsets of fresh " + DataSets.IID_POOL_FACTOR
                + "·n-point draws), sample j against held-out set j mod K");
        gen.put("true_law_sets", truth.values().length);
        gen.put("true_law_w2_mean", truth.mean());
        gen.put("true_law_w2_sd", truth.sd());
        gen.put("true_law_ratio_to_floor", truth.mean() / floorK.mean());
        gen.put("ratio_to_true_law", q.value());
        gen.put("ratio_to_true_law_se", q.se());
        if (exactPaired != null) {
            gen.put("exact_ratio_to_true_law", HeldOutW2.Quotient.of(pairedOf(exactPaired), sameSets(truth, exactPaired)).value());
        }
        return q.value() <= TARGET_RATIO;
    }

    /** The check against the training-set floor (data given as a fixed list of points: no law to draw from). */
    private static boolean trainingFloorCheck(Map<String, Object> gen, double paired) {
        gen.put("target_reference", "training_floor");
        return paired <= TARGET_RATIO;
    }

    /** The true-law reference over the held-out sets a run's row was paired with (its first K). */
    private static HeldOutW2 sameSets(HeldOutW2 truth, Map<String, Object> row) {
        return truth.firstHeldOut(HELD_OUT_SETS, (Integer) row.get("generated_sets"));
    }

    /** The paired held-out W2 of a run's row (its K values). */
    private static HeldOutW2 pairedOf(Map<String, Object> row) {
        return new HeldOutW2((Double) row.get("w2_paired_mean"), (Double) row.get("w2_paired_sd"), (double[]) row.get("w2_paired_values"));
    }

    /** The score-FP residual (M5) of both scores at three times, on held-out points. */
    private static Map<String, Object> residuals(Setup su, List<List<String>> table) {
        Batch probe = su.test().points().rows(0, Math.min(500, su.test().size()));
        Map<String, Object> residual = new LinkedHashMap<>();
        for (double t : new double[] {0.05, 0.2, 0.5}) {
            double re = ScoreDiagnostics.rms(su.exact(), probe, t);
            double rn = ScoreDiagnostics.rms(su.network(), probe, t);
            residual.put(Double.toString(t), Map.of("exact", re, "network", rn));
            table.add(List.of(Report.num(t), Report.num(re), Report.num(rn)));
        }
        return residual;
    }

    /**
     * Likelihood through the probability-flow ODE (exact trace): training points against held-out points, exact score
     * against the network. The exact score puts its mass on the training points (memorisation); the network's
     * likelihoods of training and held-out points should be close (it generalises).
     */
    private static Map<String, Object> likelihood(Setup su, int nl, List<List<String>> table) {
        Likelihood lik = Likelihood.builder().eps(EPS).rtol(1e-4).atol(1e-4).build();
        Map<String, Object> likelihood = new LinkedHashMap<>();
        for (String which : new String[] {"exact", "network"}) {
            ScoreModel s = which.equals("exact") ? su.exact() : su.network();
            double trainNll = lik.evaluate(s, su.ds().points().rows(0, nl), 0).meanNllNats();
            double testNll = lik.evaluate(s, su.test().points().rows(0, nl), 0).meanNllNats();
            likelihood.put(which, Map.of("train_nll_nats", trainNll, "test_nll_nats", testNll));
            table.add(List.of(which, Report.num(trainNll), Report.num(testNll)));
        }
        return likelihood;
    }

    /** 2×2 panels of samples over the data (demo.png). */
    private static void samplePanels(Setup su, List<Run> runs, Path dir) {
        double[] box = ScatterPlot.commonBox(su.ds().points());
        List<BufferedImage> top = new ArrayList<>();
        List<BufferedImage> bottom = new ArrayList<>();
        for (Run r : runs) {
            BufferedImage im = Png.render(new ScatterPlot(r.score() + " score, " + (r.sampler().equals("sde") ? "reverse SDE (EM, 500 geometric steps)" : "probability-flow ODE (Heun, 100 geometric steps)"))
                    .size(480, 460).box(box[0], box[1], box[2], box[3])
                    .add("training data", su.ds().points(), new Color(200, 200, 200), 3)
                    .add("samples", r.first(), r.score().equals("exact") ? new Color(31, 119, 180) : new Color(44, 160, 44), 3).chart());
            (r.score().equals("exact") ? top : bottom).add(im);
        }
        Png.write(dir.resolve("demo.png"), stack(Png.sideBySide(top), Png.sideBySide(bottom)));
    }

    /** The forward Fokker–Planck density on a grid with the exact-score SDE particles of the same time (demo_grid.png). */
    private static String fpGrid(Setup su, List<Run> runs, Map<String, Object> summary, Path dir) {
        double tStart = 0.01;
        Batch particles = runs.get(0).result().trajectory().get(0).x().rows(0, runs.get(0).n());
        double gridT = runs.get(0).result().trajectory().get(0).t();
        Grid grid = Grids.covering(su.ds().points(), su.sde(), new double[] {tStart, gridT}, false, 128);
        GridDensity start = MixtureLaw.finiteSample(su.ds().points(), su.sde(), tStart).cellAverages(grid, tStart);
        GridDensity solved = ForwardFokkerPlanck.builder(su.sde()).steps(200).build().solve(start, gridT).last();
        GridDensity closed = MixtureLaw.finiteSample(su.ds().points(), su.sde(), gridT).cellAverages(grid, gridT);
        HeatMapPlot.write(dir.resolve("demo_grid.png"), solved, particles,
                String.format(java.util.Locale.ROOT, "Fokker-Planck density and exact-score SDE particles at t=%.3g", gridT));
        summary.put("fp_grid", grid.describe());
        summary.put("fp_l1_error_vs_closed_form", solved.l1Distance(closed));
        summary.put("fp_mass_error", Math.abs(solved.mass() - start.mass()));
        return "The forward solution on " + grid.describe() + " from the exact law at t = " + tStart + " has L¹ error "
                + Report.num(solved.l1Distance(closed)) + " against the closed form and mass error "
                + Report.num(Math.abs(solved.mass() - start.mass())) + ".";
    }

    /** Measures everything, fills the summary, writes the plots and returns the report. */
    private Report report(Setup su, List<Run> runs, Map<String, Object> summary, Path dir) {
        DataSet ds = su.ds();
        DataSet test = su.test();
        double predicted = Math.sqrt(Math.PI / 2) * su.sde().sigma(EPS) / su.sde().alpha(EPS);
        double w2TrainTest = Wasserstein.exact(ds.points().rows(0, Math.min(n, ds.size())), test.points().rows(0, Math.min(n, test.size()))).distance();
        List<List<String>> table = new ArrayList<>();
        HeldOutW2 floorK = HeldOutW2.of(ds.points(), su.heldOut(), su.heldOutRows(n));
        List<Map<String, Object>> rows = metrics(su, runs, floorK, table);
        summary.put("runs", rows);
        summary.put("c1_predicted_mean_nearest_dist", predicted);
        summary.put("w2_train_to_test", w2TrainTest);
        HeldOutW2 truth = trueLaw(su);
        Map<String, Object> gen = generalisation(rows, w2TrainTest, floorK, truth);
        summary.put("generalisation", gen);
        List<List<String>> residualTable = new ArrayList<>();
        summary.put("fp_residual_rms", residuals(su, residualTable));
        int nl = Math.min(200, Math.min(ds.size(), test.size()));
        List<List<String>> likTable = new ArrayList<>();
        summary.put("likelihood", likelihood(su, nl, likTable));
        samplePanels(su, runs, dir);
        double gridT = runs.get(0).result().trajectory().get(0).t();
        String fpText = fpGrid(su, runs, summary, dir);
        return new Report("pdediff demo: exact score against a trained network on " + ds.name())
                .paragraph("Training set " + ds.spec() + "; forward SDE " + su.sde().spec() + "; stopping time ε = " + EPS + ". The exact "
                        + "score of the training set (M10) is compared with an MLP trained by denoising score matching for "
                        + trainSteps + " steps (" + Report.num(su.trained().seconds()) + " s). Each is sampled by the reverse SDE and the "
                        + "probability-flow ODE from the prior, " + sets + " sets of " + n + " samples for the network and "
                        + exactSets + " for the exact score (the first set is what the plots, the CSVs and the single-set columns use).")
                .image("demo.png", "Top: exact score (SDE, ODE). Bottom: trained network (SDE, ODE). Grey: training data.")
                .heading("Memorisation and fidelity")
                .table(List.of("score", "sampler", "NFE", "seconds", "mean distance to nearest training point",
                        "fraction within δ", "W2 to a held-out sample", "mean W2 to " + HELD_OUT_SETS + " held-out samples (± sd)",
                        "generated sets K: mean W2(set k, held-out k) (± sd)", "ratio to the floor (± s.e.)"), table)
                .paragraph("Claim C1: exact-score samples sit next to training points, at a mean distance √(π/2)·σ(ε)/α(ε) = "
                        + Report.num(predicted) + ": the exact score memorises. The network's samples lie farther from the training points: "
                        + "its approximation error is what generalises. For reference, W2 between the training set and the held-out sample is "
                        + Report.num(w2TrainTest) + ".")
                .paragraph(generalisationText(su, gen, floorK, w2TrainTest))
                .paragraph(trueLawText(gen))
                .heading("Fokker–Planck on a grid")
                .image("demo_grid.png", "Forward Fokker–Planck density (M3) at t = " + Report.num(gridT) + " with the exact-score SDE particles of that time.")
                .paragraph(fpText)
                .heading("Likelihood (probability-flow ODE, exact trace)")
                .table(List.of("score", "mean NLL of " + nl + " training points (nats)", "mean NLL of " + nl
                        + " held-out points (nats)"), likTable)
                .paragraph("Negative log-likelihood at ε = " + EPS + " by the instantaneous change of variables (dp45, rtol = atol = 1e-4). "
                        + "The exact score of the training set gives its own points a far higher likelihood than held-out points "
                        + "(memorisation); a network that generalises gives both about the same.")
                .heading("Score Fokker–Planck residual (M5)")
                .table(List.of("t", "RMS residual, exact score", "RMS residual, network"), residualTable)
                .paragraph("Exact scores solve M5 (their residual is finite-difference error); the network's residual is the defect "
                        + "that separates its ODE and SDE laws (C7).");
    }

    /** The generalisation paragraph of the report: the estimator, its spread and the verdict. */
    private String generalisationText(Setup su, Map<String, Object> gen, HeldOutW2 floorK, double w2TrainTest) {
        return "Generalisation: W2 between two samples of " + su.heldOutRows(n) + " points of one law varies by about ±20% "
                + "with the draw, for the generated set as much as for the held-out set (here the floor W2(training set, "
                + "held-out set) over " + HELD_OUT_SETS + " held-out sets is " + Report.num(floorK.mean()) + " ± "
                + Report.num(floorK.sd()) + "; the first set alone gives " + Report.num(w2TrainTest) + "). The check is "
                + "therefore made on the paired estimator R = mean_k W2(generated set k, held-out set k) / mean_k "
                + "W2(training set, held-out set k) over K independent generated sets (K = " + gen.get("generated_sets_network")
                + " for the network, " + gen.get("generated_sets_exact") + " for the exact score): each pair is an "
                + "independent draw, so R estimates the expected ratio, the sd of the per-set ratios is what a single "
                + "generated set would show and the standard error (delta method) is that of R. The network's better "
                + "sampler (" + gen.get("network_best_sampler") + ") gives R = " + Report.num((Double) gen.get("ratio_to_floor_paired_mean"))
                + " (per-set sd " + Report.num((Double) gen.get("ratio_to_floor_paired_sd")) + ", s.e. "
                + Report.num((Double) gen.get("ratio_to_floor_paired_se")) + "; 1.3× this training-set floor: "
                + ((Boolean) gen.get("within_target_training_floor") ? "met" : "not met") + "); the exact score's R is "
                + Report.num((Double) gen.get("exact_ratio_to_floor_paired_mean")) + " (it resamples the training set), and "
                + "the network's samples are " + ((Boolean) gen.get("farther_from_training_points_than_exact") ? "" : "not ")
                + "farther from the training points than the exact score's. The first generated set alone gives "
                + Report.num((Double) gen.get("ratio_to_floor_mean")) + "× (network) and "
                + Report.num((Double) gen.get("exact_ratio_to_floor_mean")) + "× (exact score) over the " + HELD_OUT_SETS
                + " held-out sets, the figure earlier demos decided on. " + GENERALISATION_HISTORY;
    }

    /** The verdict against the true-law reference (the check), or why there is none. */
    private static String trueLawText(Map<String, Object> gen) {
        if (!"true_law".equals(gen.get("target_reference"))) {
            return "The data set is a fixed list of points, with no law to draw a reference from: the check is made against "
                    + "the training-set floor above (target " + TARGET_RATIO + "×: " + ((Boolean) gen.get("within_target") ? "met" : "not met") + ").";
        }
        return "The check: against the W2 that samples of the true law reach. The training set is no fair floor where the data "
                + "generator stratifies its components (moons: exactly half the points on each moon, in the training and the "
                + "held-out sets alike), because no sampler does: its component counts are binomial, and each point in excess "
                + "must cross to the other component. " + gen.get("true_law_sets") + " independent samples of the true law (iid "
                + "draws: uniform subsets of fresh draws " + DataSets.IID_POOL_FACTOR + " times larger), " + TRUE_LAW_SETS_PER_HELD_OUT
                + " against each held-out set, reach mean W2 " + Report.num((Double) gen.get("true_law_w2_mean")) + " ("
                + Report.num((Double) gen.get("true_law_ratio_to_floor")) + "× the training-set floor). The network's better sampler "
                + "reaches " + Report.num((Double) gen.get("ratio_to_true_law")) + "× that (s.e. "
                + Report.num((Double) gen.get("ratio_to_true_law_se")) + "; the exact score "
                + Report.num((Double) gen.getOrDefault("exact_ratio_to_true_law", Double.NaN)) + "×): target " + TARGET_RATIO + "× "
                + ((Boolean) gen.get("within_target") ? "met" : "not met") + ".";
    }

    /** The measured history of the demo's training settings (seed 0, the default data). */
    private static final String GENERALISATION_HISTORY = "Measured references on these sets (moons seed 0, held-out "
            + "seeds 1000–1007, paired R over 8 generated sets, 2026-12-02): samples of the true law with iid moon labels "
            + "(what any sampler gives) reach 1.27 ± 0.11 over 10 draws (1.19 ± 0.05 over other training sets, "
            + "bench/demo_w2_references.py): at n = 1,000 the moon counts, exactly 500/500 in the training and held-out "
            + "sets but 500 ± 16 in any sample, dominate W2, and the 1.3× target is about what the true law itself reaches. "
            + "The exact score gives 1.44 (ODE) and 1.47 (SDE) with 8 sets; the network (training seeds 0 / 1) 1.48 / 1.46 "
            + "(ODE) and 1.41 / 1.41 (SDE). 5.9 / 5.7% of its ODE samples (3.7 / 3.3% SDE) lie more than 0.15 from the "
            + "moon curves (truth 0.24%, exact score 0.45%); they follow the exact score's trajectories from the same prior "
            + "points until t ≈ 0.07 (σ ≈ 0.23) and fall behind between t ≈ 0.05 and 0.01, where the network pulls tail "
            + "particles towards the curves too weakly. They do not cost R: replacing them by points of their own moon "
            + "changes it by less than 0.05. A Beta(1, 3) training-time law halves them (ODE 3.0 / 2.5%, SDE 1.6 / 1.6%) "
            + "and sharpens the tips, at the same R (ODE 1.44 / 1.48, SDE 1.43 / 1.41), and with the covariance skip below to 2.4 / 2.2% (ODE) and 1.3 / 1.2% (SDE), again at the same R (SDE 1.42 / 1.41, ODE 1.49 / 1.54); the Gaussian covariance skip "
            + "gives ODE 1.41 / 1.43, SDE 1.39 / 1.43 (best sampler 1.39 / 1.43 against 1.41 / 1.41: within the spread); "
            + "the likelihood weighting g² is worse (ODE 1.62 / 1.65, SDE 1.59 / 1.50), and so is ε_train = 10⁻² (ODE 1.50 / 1.48, SDE 1.51 / 1.50); 1,000 Euler–Maruyama steps "
            + "(1.43 / 1.46), a final Tweedie step (1.41 / 1.40) and 200 Heun steps (1.48 / 1.46) change nothing. Earlier, "
            + "single-set history (seed 0, first held-out set): 4,000 steps at a constant learning rate 2e-3 gave W2 0.116 "
            + "(ODE) and 0.129 (SDE); 12,000 steps with the learning-rate stages 2e-3 → 5e-4 → 1e-4 give 0.082 and 0.097. "
            + "Against the true law's own W2 (the check since 2026-12-02; 32 iid samples of the law, which reach 1.26× the "
            + "training-set floor on seeds 0, 1 and 2): the network's better sampler 1.12 / 1.06 / 0.98× (seeds 0 / 1 / 2, "
            + "12,000 steps), and 3.02 / 2.28 / 1.60 / 1.24× with 500 / 2,000 / 4,000 / 8,000 steps (seed 0).";

    private static BufferedImage stack(BufferedImage a, BufferedImage b) {
        BufferedImage out = new BufferedImage(Math.max(a.getWidth(), b.getWidth()), a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e3) / 1e3;
    }
}
