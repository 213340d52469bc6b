package org.pdediff.experiment.demo;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.DataSpec;
import org.pdediff.metrics.HeldOutW2;
import org.pdediff.metrics.Memorization;
import org.pdediff.metrics.Wasserstein;
import org.pdediff.pde.ForwardFokkerPlanck;
import org.pdediff.pde.Grids;
import org.pdediff.pde.MixtureLaw;
import org.pdediff.report.HeatMapPlot;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.report.ScatterPlot;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.Likelihood;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.Trainer;

/**
 * The demo's workflow on 2-D data ({@code pdediff demo}): the exact score of the training set (M10) against a quickly
 * trained network (denoising score matching), each sampled by the reverse SDE (M6, Euler–Maruyama) and the
 * probability-flow ODE (M7, Heun); particles over the forward Fokker–Planck density on a grid (M3); memorisation
 * (claim C1: exact-score samples sit at √(π/2)·σ(ε)/α(ε) from a training point), exact W2 (MATH.md §8) to held-out
 * samples and the {@link Generalisation} check; likelihoods and the score-FP residual (M5). A pipeline of library
 * calls: {@link #run} writes the CSVs and plots into the output folder and returns the typed {@link Summary} and the
 * report; the command writes summary.json, run.json and the report.
 */
public final class Demo {
    /** Held-out samples of the data law against which the generalisation ratio is averaged (see {@link HeldOutW2}). */
    public static final int HELD_OUT_SETS = 8;

    /**
     * Samples of the true law per held-out set in the reference an ideal sampler reaches (see
     * {@link DataSets#iidSample}): 4 × 8 sets put the reference's standard error at about half the network's.
     */
    public static final int TRUE_LAW_SETS_PER_HELD_OUT = 4;

    /** The stopping time ε of the samplers and the likelihood. */
    public static final double EPS = 1e-3;

    /** The time of the SDE particles drawn over the Fokker–Planck density. */
    static final double PANEL_TIME = 0.05;

    /** The start time of the forward Fokker–Planck solve (from the exact law of the training set). */
    static final double FP_START = 0.01;

    /** The times of the score-FP residual. */
    static final double[] RESIDUAL_TIMES = {0.05, 0.2, 0.5};

    /** Training and held-out points per likelihood (at most). */
    static final int LIKELIHOOD_POINTS = 200;

    private Demo() {
    }

    /**
     * @param data       the 2-D training set's spec (held-out sets: the same spec with seeds seed + 1000 + k)
     * @param seed       the seed of every random stream
     * @param n          samples per (score, sampler) and generated set
     * @param sets       generated sets per network run (1..{@value #HELD_OUT_SETS}), each against its own held-out set
     * @param exactSets  generated sets per exact-score run (1..{@value #HELD_OUT_SETS})
     * @param trainSteps training steps of the network (batch 512, learning rate 2e-3, then 5e-4 from 7/12 and 1e-4
     *                   from 10/12 of the steps)
     */
    public record Params(String data, long seed, int n, int sets, int exactSets, int trainSteps) {
        public Params {
            if (n <= 1) {
                throw new InvalidInputException("--n must be > 1, got " + n);
            }
            if (sets < 1 || sets > HELD_OUT_SETS || exactSets < 1 || exactSets > HELD_OUT_SETS) {
                throw new InvalidInputException("--sets and --exact-sets must be in 1.." + HELD_OUT_SETS + ", got "
                        + sets + " and " + exactSets);
            }
        }

        /** moons (n = 1000), seed 0, 1000 samples, 8 network sets and 4 exact-score sets, 12,000 training steps. */
        public static Params defaults() {
            return new Params("moons:n=1000", 0, 1000, 8, 4, 12_000);
        }

        /** The network's training configuration. */
        TrainConfig trainConfig() {
            // Learning-rate stages: measured on moons (n = 1000, seed 0, 1000 samples) against a held-out sample, the
            // network's W2 falls from 0.116 (ODE) / 0.129 (SDE) with 4,000 steps at a constant 2e-3 to 0.082 / 0.097
            // with 12,000 steps and the stages below; 20,000 steps gave no further gain (0.083 / 0.100).
            List<double[]> stages = trainSteps >= 12 ? List.of(new double[] {Math.round(trainSteps * 7.0 / 12), 5e-4},
                    new double[] {Math.round(trainSteps * 10.0 / 12), 1e-4}) : List.of();
            return TrainConfig.builder().steps(trainSteps).batch(512).lr(2e-3).lrStages(stages).width(128).depth(3)
                    .seed(seed).validateEvery(Math.max(1, trainSteps / 10)).build();
        }
    }

    /** Runs the long stages of the pipeline, each with a progress listener (the command line shows a bar per stage). */
    public interface Stages {
        /** Does {@code work} with a listener for the stage {@code task}. */
        <T> T run(String task, Function<ProgressListener, T> work);

        /** Every stage without progress. */
        Stages QUIET = new Stages() {
            @Override
            public <T> T run(String task, Function<ProgressListener, T> work) {
                return work.apply(ProgressListener.NONE);
            }
        };
    }

    /**
     * What the command records in run.json besides the parameters.
     *
     * @param data     the training set's spec
     * @param testData the first held-out set's spec
     * @param sde      the forward SDE's spec
     * @param dataHash the training set's hash
     * @param train    the network's training configuration
     */
    public record Provenance(String data, String testData, String sde, String dataHash, TrainConfig train) {
    }

    /**
     * The demo's outcome.
     *
     * @param summary    the measured numbers (summary.json)
     * @param report     the report (report.md, report.html, summary.md)
     * @param provenance the specs and the training configuration
     */
    public record Result(Summary summary, Report report, Provenance provenance) {
    }

    /**
     * One (score, sampler) run: {@code sets} generated sets of {@code n} samples in one call (particles
     * k·n .. (k+1)·n − 1 are set k; set 0 is the n-particle run of earlier demos).
     */
    record Run(String score, String sampler, SampleResult result, double seconds, int sets, int n) {
        /** The first generated set (what the single-set figures, the CSVs and the plots use). */
        Batch first() {
            return result.samples().rows(0, n);
        }
    }

    /**
     * The training set, a held-out sample of the same law, the SDE, the two scores and {@link #HELD_OUT_SETS} held-out
     * samples (the first is {@code test}) over which the generalisation check averages.
     */
    record Setup(DataSet ds, DataSet test, Sde sde, ScoreModel exact, ScoreModel network, Trainer.Result trained,
                 List<Batch> heldOut, int n) {
        /** Rows compared per W2: the sample size, capped by the training and held-out sets. */
        int heldOutRows() {
            return Math.min(n, Math.min(ds.size(), test.size()));
        }

        /** Points per likelihood: {@link #LIKELIHOOD_POINTS}, capped by the training and held-out sets. */
        int likelihoodPoints() {
            return Math.min(LIKELIHOOD_POINTS, Math.min(ds.size(), test.size()));
        }
    }

    /** The whole demo: trains, samples, measures, writes the CSVs and plots into {@code dir}, returns the result. */
    public static Result run(Params p, Path dir, Stages stages) {
        Setup su = setup(p, stages);
        List<Run> runs = sample(p, su, dir, stages);
        Summary summary = measure(p, su, runs, dir);
        samplePanels(su, runs, dir);
        Report report = DemoReport.of(p, su, runs, summary, fpGridTime(runs));
        return new Result(summary, report, new Provenance(su.ds().spec(), su.test().spec(), su.sde().spec(), su.ds().hash(),
                p.trainConfig()));
    }

    /** Loads the data and the held-out sets and trains the network. */
    static Setup setup(Params p, Stages stages) {
        DataSet ds = DataSets.parse(p.data());
        ds.points().requireDim(2, "demo data set " + ds.name());
        DataSet test = DataSpec.parse(ds.spec()).replacing("seed", p.seed() + 1000).load();
        Sde sde = Sdes.parse("vp");
        TrainConfig cfg = p.trainConfig();
        Trainer.Result trained = stages.run("demo: training the network", l -> new Trainer(cfg, ds, sde).train(l));
        // W2 between two n-samples of one law varies by ±20% with the draw: the generalisation ratio is taken between
        // means over the same K held-out sets (see HeldOutW2)
        List<Batch> heldOut = new ArrayList<>();
        for (int k = 0; k < HELD_OUT_SETS; k++) {
            heldOut.add(k == 0 ? test.points() : DataSpec.parse(ds.spec()).replacing("seed", p.seed() + 1000 + k).load().points());
        }
        return new Setup(ds, test, sde, new FiniteDataScore(sde, ds.points()), trained.score(), trained, heldOut, p.n());
    }

    /** Each score sampled by the reverse SDE and the probability-flow ODE; writes the sample CSVs and data.csv. */
    static List<Run> sample(Params p, Setup su, Path dir, Stages stages) {
        SamplingOptions sdeOpts = SamplingOptions.builder().kind(SamplerKind.EM).grid(GridKind.GEOMETRIC).steps(500).eps(EPS)
                .seed(p.seed()).recordTimes(PANEL_TIME).build();
        SamplingOptions odeOpts = SamplingOptions.builder().kind(SamplerKind.HEUN).grid(GridKind.GEOMETRIC).steps(100).eps(EPS)
                .seed(p.seed()).build();
        int n = p.n();
        List<Run> runs = new ArrayList<>();
        for (String which : new String[] {"exact", "network"}) {
            ScoreModel s = which.equals("exact") ? su.exact() : su.network();
            int k = which.equals("exact") ? p.exactSets() : p.sets();
            for (SamplingOptions o : new SamplingOptions[] {sdeOpts, odeOpts}) {
                String sampler = o.kind() == SamplerKind.EM ? "sde" : "ode";
                long t0 = System.nanoTime();
                SampleResult r = stages.run("demo: " + which + " score, " + sampler,
                        l -> Samplers.fromPrior(s, k * n, o.withListener(l), n));
                Run run = new Run(which, sampler, r, (System.nanoTime() - t0) * 1e-9, k, n);
                runs.add(run);
                Csv.write(dir.resolve("samples_" + which + "_" + sampler + ".csv"), run.first());
            }
        }
        Csv.write(dir.resolve("data.csv"), su.ds().points());
        return runs;
    }

    /**
     * Measures everything: memorisation, W2, the generalisation check, residuals, likelihoods and the FP grid (whose
     * plot it writes into {@code dir}).
     */
    static Summary measure(Params p, Setup su, List<Run> runs, Path dir) {
        int n = p.n();
        double predicted = Math.sqrt(Math.PI / 2) * su.sde().sigma(EPS) / su.sde().alpha(EPS);
        double w2TrainTest = Wasserstein.exact(su.ds().points().rows(0, Math.min(n, su.ds().size())),
                su.test().points().rows(0, Math.min(n, su.test().size()))).distance();
        HeldOutW2 floor = HeldOutW2.of(su.ds().points(), su.heldOut(), su.heldOutRows());
        List<RunRow> rows = new ArrayList<>();
        for (Run r : runs) {
            rows.add(row(su, r, floor));
        }
        Generalisation gen = Generalisation.of(rows, w2TrainTest, floor, trueLaw(p, su));
        Map<String, Summary.Residual> residuals = residuals(su);
        Summary.Likelihoods likelihood = likelihood(su);
        return new Summary(su.ds().spec(), su.sde().spec(), EPS, round(su.trained().seconds()),
                round(su.trained().stepsPerSecond()), rows, predicted, w2TrainTest, gen, residuals, likelihood, fpGrid(su, runs, dir));
    }

    /** Memorisation against the training set and exact W2 to the held-out sets, of one run. */
    static RunRow row(Setup su, Run r, HeldOutW2 floor) {
        Batch testN = su.test().points().rows(0, Math.min(su.n(), su.test().size()));
        Memorization.Result m = Memorization.compute(r.first(), su.ds().points());
        double w2 = Wasserstein.exact(r.first().rows(0, testN.size()), testN).distance();
        HeldOutW2 wk = HeldOutW2.of(r.first(), su.heldOut(), su.heldOutRows());
        HeldOutW2 paired = HeldOutW2.paired(r.result().samples(), r.sets(), su.heldOut(), su.heldOutRows());
        HeldOutW2.Ratio ratio = HeldOutW2.Ratio.of(paired, floor);
        return new RunRow(r.score(), r.sampler(), r.result().nfe(), round(r.seconds()), m.meanNearestDist(), m.fractionWithin(),
                m.delta(), w2, wk.mean(), wk.sd(), r.sets(), paired.mean(), paired.sd(), paired.values(), ratio.mean(),
                ratio.perSetSd(), ratio.se());
    }

    /**
     * The reference an ideal sampler reaches: {@link #TRUE_LAW_SETS_PER_HELD_OUT}·K independent n-samples of the data
     * law (iid draws, {@link DataSets#iidSample}, seeds seed + 2000 + j), sample j against held-out set j mod K; null
     * when the data set is a fixed list of points (no law to draw from).
     */
    static HeldOutW2 trueLaw(Params p, Setup su) {
        if (!DataSets.isLaw(DataSpec.parse(su.ds().spec()).name())) {
            return null;
        }
        int rows = su.heldOutRows();
        List<Batch> samples = new ArrayList<>();
        for (int j = 0; j < TRUE_LAW_SETS_PER_HELD_OUT * HELD_OUT_SETS; j++) {
            samples.add(DataSets.iidSample(su.ds(), rows, p.seed() + 2000 + j));
        }
        return HeldOutW2.cycled(samples, su.heldOut(), rows);
    }

    /** The score-FP residual (M5) of both scores at {@link #RESIDUAL_TIMES}, on held-out points. */
    static Map<String, Summary.Residual> residuals(Setup su) {
        Batch probe = su.test().points().rows(0, Math.min(500, su.test().size()));
        Map<String, Summary.Residual> residual = new LinkedHashMap<>();
        for (double t : RESIDUAL_TIMES) {
            residual.put(Double.toString(t), new Summary.Residual(ScoreDiagnostics.rms(su.exact(), probe, t),
                    ScoreDiagnostics.rms(su.network(), probe, t)));
        }
        return residual;
    }

    /**
     * Likelihood through the probability-flow ODE (exact trace): training points against held-out points, exact score
     * against the network. The exact score puts its mass on the training points (memorisation); the network's
     * likelihoods of training and held-out points should be close (it generalises).
     */
    static Summary.Likelihoods likelihood(Setup su) {
        return new Summary.Likelihoods(nll(su, su.exact()), nll(su, su.network()));
    }

    private static Summary.Nll nll(Setup su, ScoreModel s) {
        Likelihood lik = Likelihood.builder().eps(EPS).rtol(1e-4).atol(1e-4).build();
        int nl = su.likelihoodPoints();
        return new Summary.Nll(lik.evaluate(s, su.ds().points().rows(0, nl), 0).meanNllNats(),
                lik.evaluate(s, su.test().points().rows(0, nl), 0).meanNllNats());
    }

    /** The time of the exact-score SDE particles drawn over the grid density (the recorded {@link #PANEL_TIME}). */
    static double fpGridTime(List<Run> runs) {
        return runs.get(0).result().trajectory().get(0).t();
    }

    /**
     * The forward Fokker–Planck density (M3) on a grid covering the data, solved from the exact law of the training
     * set at {@link #FP_START} to the particles' time and compared with the closed form there; writes it with the
     * exact-score SDE particles of that time (demo_grid.png).
     */
    static Summary.FpGrid fpGrid(Setup su, List<Run> runs, Path dir) {
        Batch particles = runs.get(0).result().trajectory().get(0).x().rows(0, runs.get(0).n());
        double gridT = fpGridTime(runs);
        Grid grid = Grids.covering(su.ds().points(), su.sde(), new double[] {FP_START, gridT}, false, 128);
        GridDensity start = MixtureLaw.finiteSample(su.ds().points(), su.sde(), FP_START).cellAverages(grid, FP_START);
        GridDensity solved = ForwardFokkerPlanck.builder(su.sde()).steps(200).build().solve(start, gridT).last();
        GridDensity closed = MixtureLaw.finiteSample(su.ds().points(), su.sde(), gridT).cellAverages(grid, gridT);
        HeatMapPlot.write(dir.resolve("demo_grid.png"), solved, particles,
                String.format(Locale.ROOT, "Fokker-Planck density and exact-score SDE particles at t=%.3g", gridT));
        return new Summary.FpGrid(grid.describe(), solved.l1Distance(closed), Math.abs(solved.mass() - start.mass()));
    }

    /** 2×2 panels of samples over the data (demo.png). */
    static void samplePanels(Setup su, List<Run> runs, Path dir) {
        double[] box = ScatterPlot.commonBox(su.ds().points());
        List<BufferedImage> top = new ArrayList<>();
        List<BufferedImage> bottom = new ArrayList<>();
        for (Run r : runs) {
            BufferedImage im = Png.render(new ScatterPlot(r.score() + " score, " + (r.sampler().equals("sde")
                    ? "reverse SDE (EM, 500 geometric steps)" : "probability-flow ODE (Heun, 100 geometric steps)"))
                    .size(480, 460).box(box[0], box[1], box[2], box[3])
                    .add("training data", su.ds().points(), new Color(200, 200, 200), 3)
                    .add("samples", r.first(), r.score().equals("exact") ? new Color(31, 119, 180) : new Color(44, 160, 44), 3).chart());
            (r.score().equals("exact") ? top : bottom).add(im);
        }
        Png.write(dir.resolve("demo.png"), stack(Png.sideBySide(top), Png.sideBySide(bottom)));
    }

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
