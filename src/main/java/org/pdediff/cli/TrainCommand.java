package org.pdediff.cli;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.RunRecord;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.report.LossCurvePlot;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import org.pdediff.nn.ActivationKind;
import org.pdediff.train.FpPoints;
import org.pdediff.train.InputScaling;
import org.pdediff.train.TimeInput;
import org.pdediff.train.Parameterisation;
import org.pdediff.train.TimeLaw;
import org.pdediff.train.Skip;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.TrainState;
import org.pdediff.train.Trainer;
import org.pdediff.train.Weighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff train}: trains a neural score by denoising score matching (optionally FP-regularised) and writes the
 * model file, a CSV training log ({@code STEM.log.csv}), a loss-curve PNG ({@code STEM.loss.png}) and {@code run.json}
 * beside it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Train a neural score (MLP on pdediff's own vectorised CPU engine) by denoising score matching, optionally with a"
                + " Fokker-Planck residual penalty; writes a model file usable as --score model:PATH.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.Seed seed;

    @Mixin
    SharedOptions.JsonOutput json;

    @Mixin
    SharedOptions.RequiredData data;

    @Mixin
    SharedOptions.SdeOption sde;

    @Option(names = "--param", defaultValue = "noise", description = "Output parameterisation: score, noise or potential.")
    String param;

    @Option(names = "--steps", defaultValue = "2000", description = "Optimiser steps.")
    int steps;

    @Option(names = "--batch", defaultValue = "256", description = "DSM batch size.")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate.")
    double lr;

    @Option(names = "--warmup", defaultValue = "100", description = "Linear learning-rate warm-up steps.")
    int warmup;

    @Option(names = "--lr-stages", defaultValue = "", description = "Learning-rate stages STEP:LR,STEP:LR (e.g. 5000:1e-4,8000:1e-5).")
    String lrStages;

    @Option(names = "--grad-clip", defaultValue = "1", description = "Clip the global gradient norm (0: off).")
    double gradClip;

    @Option(names = "--ema", defaultValue = "0.999", description = "EMA decay of the weights (0: off).")
    double ema;

    @Option(names = "--dtype", defaultValue = "float32", description = "Training precision: float32 or float64.")
    String dtype;

    @Option(names = "--width", defaultValue = "128", description = "Hidden width.")
    int width;

    @Option(names = "--depth", defaultValue = "3", description = "Hidden layers.")
    int depth;

    @Option(names = "--activation", defaultValue = "silu", description = "Activation: silu or softplus.")
    String activation;

    @Option(names = "--softplus-beta", defaultValue = "100", description = "Beta of Softplus.")
    double softplusBeta;

    @Option(names = "--fourier", defaultValue = "6", description = "Fourier frequencies of the time embedding.")
    int fourier;

    @Option(names = "--weighting", defaultValue = "sigma2", description = "DSM weighting: sigma2, g2 (likelihood) or one.")
    String weighting;

    @Option(names = "--eps-train", defaultValue = "1e-5", description = "Smallest training time.")
    double epsTrain;

    @Option(names = "--time-law", defaultValue = "uniform", description = "Training-time law on [eps, T]: uniform or beta:a=1,b=2.")
    String timeLaw;

    @Option(names = "--fp-weight", defaultValue = "0", description = "Weight of the FP-residual penalty (0: plain DSM).")
    double fpWeight;

    @Option(names = "--fp-points", defaultValue = "perturbed", description = "FP collocation points: perturbed or uniform.")
    String fpPoints;

    @Option(names = "--fp-batch", defaultValue = "64", description = "FP collocation points per step.")
    int fpBatch;

    @Option(names = "--fp-power", defaultValue = "2", description = "Power m of |r|^m.")
    double fpPower;

    @Option(names = "--fp-weighting", defaultValue = "sigma2", description = "Time weighting of the FP penalty: sigma2, g2 or one.")
    String fpWeighting;

    @Option(names = "--fp-tmin", defaultValue = "1e-3", description = "Smallest time of the FP collocation points.")
    double fpTmin;

    @Option(names = "--fp-box", description = "Half-width L of the uniform box [-L, L]^d (default: data bounding box + 20%%).")
    Double fpBox;

    @Option(names = "--validate-every", defaultValue = "0", description = "Steps between validations and log rows (0: steps/20).")
    int validateEvery;

    @Option(names = "--validation-size", defaultValue = "512", description = "Held-out validation points.")
    int validationSize;


    @Option(names = "--out", required = true, description = "Model file to write (e.g. model.pdm).")
    Path out;


    @Option(names = "--time-input", defaultValue = "log-sigma", description = "How the network sees time: log-sigma (Fourier features of ln sigma) or t (plain time, P3).")
    String timeInput;

    @Option(names = "--input-scaling", defaultValue = "preconditioned", description = "How the network sees x: preconditioned (c_in(t)(x - alpha mu)) or raw (P3).")
    String inputScaling;

    @Option(names = "--skip", defaultValue = "none", description = "What the network output is added to: none; gaussian"
            + " (the score -c_in^2 (x - alpha mu) of the data's isotropic Gaussian approximation, EDM's skip connection; needed"
            + " when the width is below the data dimension, e.g. images); or covariance (the score of the Gaussian with the"
            + " data's covariance, up to 128 eigenpairs: a Wiener filter that also removes small-t noise).")
    String skip;

    @Option(names = "--fresh-adam-per-stage", description = "Restart Adam (zero moments) at each --lr-stages boundary, as P3 does.")
    boolean freshAdam;

    @Option(names = "--fresh-data", description = "Draw the DSM data points fresh from the data set's law at every step (P3), instead of from the fixed training sample of --data (needs a generated data set).")
    boolean freshData;

    @Option(names = "--resume", description = "Continue the training of this model (its STEM.state beside it) up to --steps in all;"
            + " every other option must be the one it was trained with. The result is the same bits as one uninterrupted run. Default: none (train from scratch).")
    Path resume;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        TrainConfig cfg = trainConfig();
        DataSet ds = DataSets.parse(data.value);
        Sde s = Sdes.parse(sde.value);
        Path model = out.toAbsolutePath();
        Path dir = AtomicFiles.requireWritableDir(model.getParent());
        String stem = model.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Path logFile = dir.resolve(stem + ".log.csv");
        Path plotFile = dir.resolve(stem + ".loss.png");
        RunRecord rec = new RunRecord("train");
        rec.param("data", ds.spec()).param("sde", s.spec()).param("param", cfg.param().key()).param("width", width)
                .param("depth", depth).param("activation", activation).param("fourier", fourier);
        cfg.toMap().forEach(rec::param);
        rec.put("seed", seed.value).put("data_hash", ds.hash());

        Trainer trainer = new Trainer(cfg, ds, s);
        TrainState from = resume == null ? null : TrainState.read(TrainState.besideModel(resume));
        if (resume != null) {
            rec.param("resumed_from", resume.toAbsolutePath().toString()).param("resumed_step", from.step());
        }
        Trainer.Result result = train(trainer, from);
        result.checkpoint().write(model);
        Path stateFile = TrainState.besideModel(model);
        result.state().write(stateFile);
        writeLog(logFile, result.log());
        List<Trainer.LogRow> log = result.log();
        writeLossPlot(plotFile, log, ds, s, cfg);

        Trainer.LogRow last = log.get(log.size() - 1);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", model.toString());
        summary.put("log", logFile.toString());
        summary.put("plot", plotFile.toString());
        summary.put("run_record", dir.resolve(stem + ".run.json").toString());
        summary.put("state", TrainState.besideModel(model).toString());
        summary.put("parameters", trainer.architecture().parameterCount());
        summary.put("steps", steps);
        summary.put("seconds", round(result.seconds()));
        summary.put("steps_per_s", round(result.stepsPerSecond()));
        summary.putAll(result.checkpoint().losses());
        Path runFile = dir.resolve(stem + ".run.json");
        rec.put("outputs", List.of(model.getFileName().toString(), logFile.getFileName().toString(),
                plotFile.getFileName().toString(), runFile.getFileName().toString(), stateFile.getFileName().toString()));
        rec.put("results", summary);
        // One record per model (STEM.run.json), so that several models in one folder keep theirs; run.json (the
        // folder's record of its latest command, kept for existing readers) is the same record.
        rec.writeFile(runFile);
        rec.writeTo(dir);
        print(summary, model, trainer, result, last);
        return 0;
    }

    /** The options that no library builder checks, and a model path that is a regular file. */
    private void checkOptions() {
        if (!(gradClip >= 0) || !Double.isFinite(gradClip)) {
            throw new InvalidInputException("--grad-clip must be a finite number >= 0 (0: off), got " + gradClip);
        }
        if (validateEvery < 0) {
            throw new InvalidInputException("--validate-every must be >= 0 (0: steps/20), got " + validateEvery);
        }
        AtomicFiles.requireWritableFile(out);
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isRegularFile(out)) {
            // a device or FIFO: the model could be streamed to it, but its companion files (STEM.log.csv, ...) would
            // land beside it (in /dev): refuse
            throw new InvalidInputException("--out " + out + " is not a regular file; give a model file path such as runs/model.pdm");
        }
    }

    /** Trains with a progress bar that shows the rate of this run's steps (a resumed run counts from its step). */
    private Trainer.Result train(Trainer trainer, TrainState from) {
        try (ProgressBars bar = ProgressBars.open("train", !json.value)) {
            ProgressListener inner = bar.listener();
            long t0 = System.nanoTime();
            long first = from == null ? 0 : from.step();
            ProgressListener listener = inner == ProgressListener.NONE ? inner : (done, total, msg) -> {
                double rate = (done - first) / Math.max(1e-9, (System.nanoTime() - t0) * 1e-9);
                inner.progress(done, total, String.format(Locale.ROOT, " %.0f steps/s %s", rate, msg));
            };
            return trainer.train(listener, from);
        }
    }

    /** The summary as JSON (--json) or one line. */
    private void print(Map<String, Object> summary, Path model, Trainer trainer, Trainer.Result result, Trainer.LogRow last) {
        if (json.value) {
            spec.commandLine().getOut().println(Json.pretty(summary));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT, "trained %s (%d parameters) in %.1f s (%.0f steps/s): loss %.4g, validation DSM %.4g%s%n",
                    model, trainer.architecture().parameterCount(), result.seconds(), result.stepsPerSecond(), last.loss(), last.valDsm(),
                    Double.isNaN(last.valRelErr()) ? "" : String.format(Locale.ROOT, ", relative score error %.3g", last.valRelErr()));
        }
        spec.commandLine().getOut().flush();
    }

    /** The training configuration from the options. */
    private TrainConfig trainConfig() {
        DataType dt = switch (dtype.strip().toLowerCase(Locale.ROOT)) {
            case "float32", "f32" -> DataType.FLOAT32;
            case "float64", "f64" -> DataType.FLOAT64;
            default -> throw new InvalidInputException("--dtype must be float32 or float64, got " + dtype);
        };
        return TrainConfig.builder().width(width).depth(depth).activation(ActivationKind.parse(activation))
                .softplusBeta(softplusBeta).fourier(fourier).param(Parameterisation.parse(param)).steps(steps).batch(batch)
                .lr(lr).warmup(warmup).lrStages(TrainConfig.parseStages(lrStages)).gradClip(gradClip).emaDecay(ema).dtype(dt)
                .seed(seed.value).weighting(Weighting.parse(weighting)).epsTrain(epsTrain).timeLaw(TimeLaw.parse(timeLaw))
                .fpWeight(fpWeight).fpPoints(FpPoints.parse(fpPoints)).fpBatch(fpBatch).fpPower(fpPower)
                .fpWeighting(Weighting.parse(fpWeighting)).fpTmin(fpTmin).fpBox(fpBox == null ? Double.NaN : fpBox)
                .validateEvery(validateEvery).validationSize(validationSize).timeInput(TimeInput.parse(timeInput))
                .inputScaling(InputScaling.parse(inputScaling)).freshAdamPerStage(freshAdam).freshData(freshData)
                .skip(Skip.parse(skip)).build();
    }

    /** STEM.loss.png: the loss, its DSM and weighted FP parts, and the validation DSM against the step. */
    private void writeLossPlot(Path plotFile, List<Trainer.LogRow> log, DataSet ds, Sde s, TrainConfig cfg) {
        double[] x = new double[log.size()];
        double[] loss = new double[log.size()];
        double[] dsm = new double[log.size()];
        double[] fp = new double[log.size()];
        double[] val = new double[log.size()];
        for (int k = 0; k < log.size(); k++) {
            Trainer.LogRow r = log.get(k);
            x[k] = r.step();
            loss[k] = r.loss();
            dsm[k] = r.dsm();
            fp[k] = r.fp() * fpWeight;
            val[k] = r.valDsm();
        }
        List<LossCurvePlot.Series> series = new ArrayList<>();
        series.add(new LossCurvePlot.Series("loss", x, loss));
        if (fpWeight > 0) {
            series.add(new LossCurvePlot.Series("DSM", x, dsm));
            series.add(new LossCurvePlot.Series("w * FP", x, fp));
        }
        series.add(new LossCurvePlot.Series("validation DSM (EMA)", x, val));
        LossCurvePlot.write(plotFile, "pdediff train: " + ds.name() + ", " + s.spec() + ", " + cfg.param().key(), series);

    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    static void writeLog(Path file, List<Trainer.LogRow> log) {
        StringBuilder sb = new StringBuilder("step,lr,loss,dsm,fp,grad_norm,val_dsm,val_rel_err,elapsed_s\n");
        for (Trainer.LogRow r : log) {
            sb.append(r.step()).append(',').append(r.lr()).append(',').append(r.loss()).append(',').append(r.dsm()).append(',')
                    .append(r.fp()).append(',').append(r.gradNorm()).append(',').append(r.valDsm()).append(',')
                    .append(Double.isNaN(r.valRelErr()) ? "" : Double.toString(r.valRelErr())).append(',')
                    .append(round(r.elapsedSeconds())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
