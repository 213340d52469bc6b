package org.pdediff.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.OutputSet;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;
import org.pdediff.core.Sizes;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.report.HistogramPlot;
import org.pdediff.report.ImageGridPlot;
import org.pdediff.report.Png;
import org.pdediff.report.ScatterPlot;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff sample}: draws samples by integrating the reverse dynamics of a score from the prior, and writes
 * {@code samples.csv}, {@code run.json} and {@code samples.png}.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Sample from a data set's score with any sampler; writes DIR/samples.csv, DIR/run.json, DIR/samples.png.")
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.FolderRun common;

    @Mixin
    SharedOptions.Data data = new SharedOptions.Data("moons");

    @Mixin
    SharedOptions.ModelSde sde;

    @Mixin
    SharedOptions.Score score;

    @Option(names = "--sampler", defaultValue = "em", description = "em, pc, ddpm, ddim, euler, heun, rk4, dp45, bs23.")
    String sampler;

    @Option(names = "--steps", defaultValue = "1000", description = "Number of steps (initial grid for dp45 is ignored).")
    int steps;

    @Option(names = "--eps", defaultValue = "1e-3", description = "Stopping time ε (0 < ε < T).")
    double eps;

    @Option(names = "--n", defaultValue = "1000", description = "Number of samples.")
    int n;



    @Option(names = "--grid", defaultValue = "uniform", description = "Time grid: uniform, quadratic, geometric.")
    GridKind grid;

    @Option(names = "--lambda", defaultValue = "1", description = "λ of the family M8 (em only): 1 reverse SDE, 0 ODE.")
    double lambda;

    @Option(names = "--snr", defaultValue = "0.16", description = "Corrector signal-to-noise ratio (pc).")
    double snr;

    @Option(names = "--corrector-steps", defaultValue = "1", description = "Langevin corrector steps per step (pc).")
    int correctorSteps;

    @Option(names = "--corrector-after", description = "Run the corrector after the predictor (default: before, as score_sde).")
    boolean correctorAfter;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM η in [0, 1].")
    double eta;

    @Option(names = "--rtol", defaultValue = "1e-5", description = "Relative tolerance (dp45).")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Absolute tolerance (dp45).")
    double atol;

    @Option(names = "--final-denoise", description = "Apply Tweedie's step x <- (x + σ²s)/α at ε (off by default).")
    boolean finalDenoise;

    @Option(names = "--noiseless-last-step", description = "Omit the noise of the last stochastic step.")
    boolean noiselessLastStep;

    @Option(names = "--batch", defaultValue = "0", description = "Particles per batch (0: all at once). exact, gmm and model: scores give bit-identical results for"
            + " every batch; a torchscript: score runs on libtorch, whose kernels may change the last bits with the batch shape.")
    int batch;

    @Option(names = "--record", split = ",", description = "Also write the particles at these times (nearest grid time; exact for dp45) as DIR/trajectory_<i>.csv; times in [eps, T]. Default: none.")
    double[] record;


    @picocli.CommandLine.Mixin
    ShardOption shard;

    @Override
    public Integer call() {
        Checks.above("--n", n, 0);
        Checks.above("--steps", steps, 0);
        Checks.atLeast("--batch", batch, 0);
        // the time grid holds steps + 1 times (a few arrays of them)
        Sizes.arrayLength("--steps " + steps, steps + 1L);
        Sizes.requireHeap("--steps " + steps, Sizes.product("--steps", steps + 1L, 8 * 4));
        Checks.finite("--snr", snr, false);
        Checks.finite("--rtol", rtol, false);
        Checks.finite("--atol", atol, false);
        Checks.finite("--lambda", lambda, true);
        Checks.atLeast("--corrector-steps", correctorSteps, 0);
        SamplerKind kind = SamplerKind.parse(sampler);
        shard.range(n, batch == 0 ? n : batch, kind, score.value); // a bad --shard fails before anything is created
        Sde requested = sde.requested(score.value);
        if (requested != null) {
            Checks.stoppingTime(eps, requested.T());
            requireRecordTimes(requested.T());
        }
        try (OutputSet set = OutputSet.open(common.out.value, Inputs.of(data.value, score.value))) {
            return run(set, kind, requested);
        }
    }

    /** Recorded times lie in [eps, T]. */
    private void requireRecordTimes(double T) {
        if (record != null) {
            for (double t : record) {
                if (!(t >= eps) || !(t <= T)) {
                    throw new InvalidInputException("--record times must lie in [eps = " + eps + ", T = " + T + "], got " + t);
                }
            }
        }
    }

    private int run(OutputSet set, SamplerKind kind, Sde requested) {
        Path dir = set.dir();
        DataSet ds = DataSets.parse(data.value);
        // the sampler holds about 8 batches of n × d at once (state, score, noise, Runge-Kutta stages), plus one per
        // recorded time
        int held = 8 + (record == null ? 0 : record.length);
        Sizes.doubles("--n " + n + " samples in d = " + ds.dim(), n, ds.dim());
        Sizes.requireHeap("sampling --n " + n + " points in d = " + ds.dim(), Sizes.product("--n", n, ds.dim(), 8L * held));
        ScoreModel model = Scores.create(score.value, ds, requested);
        Sde forward = model.sde();
        Checks.stoppingTime(eps, forward.T());
        requireRecordTimes(forward.T());
        SamplingOptions opts = SamplingOptions.builder().kind(kind).grid(grid).steps(steps).eps(eps).seed(common.seed.value)
                .lambda(lambda).snr(snr).correctorSteps(correctorSteps).correctorFirst(!correctorAfter).eta(eta)
                .rtol(rtol).atol(atol).finalDenoise(finalDenoise).noiselessLastStep(noiselessLastStep).recordTimes(record == null ? new double[0] : record).build();
        RunRecord rec = new RunRecord("sample");
        rec.param("data", ds.spec()).param("sde", forward.spec()).param("score", score.value).param("n", n)
                .param("batch", batch == 0 ? n : batch);
        opts.describe().forEach(rec::param);
        int[] range = shard.range(n, batch == 0 ? n : batch, kind, score.value);
        shard.record(rec, range);
        rec.put("seed", common.seed.value).put("data_hash", ds.hash()).put("score", model.describe());
        SampleResult r;
        try (ProgressBars bar = ProgressBars.open("sample " + kind.name().toLowerCase(), !common.json.value)) {
            r = Samplers.fromPrior(model, n, opts.withListener(bar.listener()), batch == 0 ? n : batch, range[0], range[1]);
        }
        r.samples().requireFinite("samples (the sampler diverged; try more steps or a larger eps)");
        Csv.write(dir.resolve("samples.csv"), r.samples());
        java.util.List<Map<String, Object>> traj = new java.util.ArrayList<>();
        for (int k = 0; k < r.trajectory().size(); k++) {
            String file = "trajectory_" + k + ".csv";
            Csv.write(dir.resolve(file), r.trajectory().get(k).x());
            traj.add(Map.of("t", r.trajectory().get(k).t(), "file", file));
        }
        if (!traj.isEmpty()) {
            rec.put("trajectory", traj);
        }
        writePlot(dir.resolve("samples.png"), ds, r.samples(), kind.name().toLowerCase() + ", " + forward.spec());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("out", common.out.value.toString());
        summary.put("n", n);
        summary.put("d", ds.dim());
        summary.put("sampler", kind.name().toLowerCase());
        summary.put("nfe", r.nfe());
        summary.put("steps", r.steps());
        summary.put("rejected", r.rejected());
        summary.put("final_denoise", r.denoised());
        summary.put("wall_s", Math.round(rec.elapsedSeconds() * 1e4) / 1e4);
        summary.put("sample_mean", r.samples().mean());
        rec.put("nfe", r.nfe()).put("steps_taken", r.steps()).put("rejected", r.rejected());
        rec.writeTo(dir);
        set.commit();
        if (common.json.value) {
            System.out.println(Json.compact(summary));
        } else {
            System.err.printf("wrote %d samples to %s (nfe %d, %.2f s)%n", r.samples().size(), common.out.value.resolve("samples.csv"), r.nfe(), rec.elapsedSeconds());
        }
        return 0;
    }

    /** Scatter for d ≥ 2 (first two coordinates) over the data, histogram for d = 1, an image grid for digits. */
    static void writePlot(Path target, DataSet ds, Batch samples, String title) {
        int d = samples.dim();
        if (d == 1) {
            Png.write(target, HistogramPlot.chart(title, samples, ds.points(), 60));
        } else if ((d == 64 && ds.name().equals("digits")) || (d == 784 && ds.name().equals("fashion-mnist"))) {
            int side = d == 64 ? 8 : 28;
            BufferedImage im = ImageGridPlot.render(samples.rows(0, Math.min(64, samples.size())), side, 8, 8, d == 64 ? 6 : 3, -1, 1);
            Png.write(target, im);
        } else {
            double[] box = ScatterPlot.commonBox(ds.points(), samples);
            Png.write(target, new ScatterPlot(title).box(box[0], box[1], box[2], box[3])
                    .add("data", ds.points(), new Color(180, 180, 180), 3)
                    .add("samples", samples, new Color(31, 119, 180), 3).chart());
        }
    }
}
