package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.InvalidInputException;

/**
 * Every knob of a training run; build with {@link #builder()}. Defaults follow [S] where it has one (σ² weighting,
 * ε_train = 10⁻⁵, warm-up, gradient clipping at norm 1, EMA of the weights; the learning rate 10⁻³ suits small
 * MLPs better than [S]'s 2·10⁻⁴) and P4 for the FP penalty (power m = 2).
 *
 * @param width          hidden width
 * @param depth          hidden layers
 * @param activation     hidden activation
 * @param softplusBeta   β of Softplus
 * @param fourier        Fourier frequencies of the time embedding
 * @param param          output parameterisation
 * @param steps          optimiser steps
 * @param batch          DSM batch size
 * @param lr             base learning rate
 * @param warmup         linear warm-up steps (0 = none)
 * @param lrStages       (from step, learning rate) pairs that replace the base rate from that step on, ascending
 * @param gradClip       clip the global gradient norm to this (≤ 0: no clipping)
 * @param emaDecay       EMA decay of the weights (0: no EMA)
 * @param dtype          FLOAT32 (default) or FLOAT64 training precision
 * @param seed           seed of initialisation, batches and noise
 * @param weighting      DSM time weighting λ(t)
 * @param epsTrain       smallest training time ε_train
 * @param timeLaw        law of the training time on [ε_train, T]
 * @param fpWeight       weight w of the FP penalty (0: plain DSM)
 * @param fpPoints       where the FP residual is evaluated
 * @param fpBatch        points per step for the FP penalty
 * @param fpPower        power m in E[weight(t)|r|^m]
 * @param fpWeighting    weight(t) of the FP penalty
 * @param fpTmin         smallest time of the FP points
 * @param fpBox          half-width L of the uniform box [−L, L]^d (NaN: the data's bounding box, enlarged by 20%)
 * @param validateEvery  steps between validations (and log rows)
 * @param validationSize held-out points per validation time
 * @param timeInput      the network's time input (ln σ(t) features or plain t)
 * @param inputScaling   whether x enters preconditioned by c_in(t) or raw
 * @param freshAdamPerStage a fresh Adam at each learning-rate stage (P3)
 * @param freshData      draw the DSM (and perturbed-collocation) data points fresh from the data set's law at every
 *                       step, keyed by (seed, step), instead of from the fixed training sample (P3, MATH.md §6)
 * @param skip           what the network output is added to ({@link Skip})
 */
public record TrainConfig(int width, int depth, ActivationKind activation, double softplusBeta, int fourier,
                          Parameterisation param, int steps, int batch, double lr, int warmup, List<double[]> lrStages,
                          double gradClip, double emaDecay, DataType dtype, long seed, Weighting weighting,
                          double epsTrain, TimeLaw timeLaw, double fpWeight, FpPoints fpPoints, int fpBatch,
                          double fpPower, Weighting fpWeighting, double fpTmin, double fpBox, int validateEvery,
                          int validationSize, TimeInput timeInput, InputScaling inputScaling, boolean freshAdamPerStage,
                          boolean freshData, Skip skip) {
    public TrainConfig {
        check(steps >= 1, "steps must be >= 1");
        check(batch >= 1, "batch must be >= 1");
        check(lr > 0 && Double.isFinite(lr), "learning rate must be > 0");
        check(warmup >= 0, "warm-up must be >= 0");
        check(emaDecay >= 0 && emaDecay < 1, "EMA decay must be in [0, 1)");
        check(dtype == DataType.FLOAT32 || dtype == DataType.FLOAT64, "dtype must be float32 or float64");
        check(epsTrain > 0, "eps-train must be > 0");
        check(fpWeight >= 0 && Double.isFinite(fpWeight), "FP weight must be >= 0");
        check(fpBatch >= 1, "FP batch must be >= 1");
        check(fpPower > 0, "FP power must be > 0");
        check(fpTmin > 0, "FP t-min must be > 0");
        check(Double.isNaN(fpBox) || fpBox > 0, "FP box half-width must be > 0");
        check(validateEvery >= 1, "validation interval must be >= 1");
        check(validationSize >= 1, "validation size must be >= 1");
        lrStages = List.copyOf(lrStages);
        double last = -1;
        for (double[] s : lrStages) {
            check(s.length == 2 && s[0] > last && s[1] > 0, "learning-rate stages must be ascending STEP:LR pairs with LR > 0");
            last = s[0];
        }
        timeInput = timeInput == null ? TimeInput.LOG_SIGMA : timeInput;
        inputScaling = inputScaling == null ? InputScaling.PRECONDITIONED : inputScaling;
        skip = skip == null ? Skip.NONE : skip;
        new Architecture(1, width, depth, activation, softplusBeta, fourier, param); // validates the network knobs
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new InvalidInputException(msg);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values (to change a few of them). */
    public Builder toBuilder() {
        return builder().width(width).depth(depth).activation(activation).softplusBeta(softplusBeta).fourier(fourier)
                .param(param).steps(steps).batch(batch).lr(lr).warmup(warmup).lrStages(lrStages).gradClip(gradClip)
                .emaDecay(emaDecay).dtype(dtype).seed(seed).weighting(weighting).epsTrain(epsTrain).timeLaw(timeLaw)
                .fpWeight(fpWeight).fpPoints(fpPoints).fpBatch(fpBatch).fpPower(fpPower).fpWeighting(fpWeighting)
                .fpTmin(fpTmin).fpBox(fpBox).validateEvery(validateEvery).validationSize(validationSize)
                .timeInput(timeInput).inputScaling(inputScaling).freshAdamPerStage(freshAdamPerStage).freshData(freshData)
                .skip(skip);
    }

    /** The architecture for data dimension d. */
    public Architecture architecture(int d) {
        return new Architecture(d, width, depth, activation, softplusBeta, fourier, param, timeInput, inputScaling, skip);
    }

    /** The learning rate at a step: the stage rate times the warm-up factor min(1, (step + 1)/warmup). */
    public double learningRate(long step) {
        double base = lr;
        for (double[] s : lrStages) {
            if (step >= s[0]) {
                base = s[1];
            }
        }
        return warmup > 0 ? base * Math.min(1.0, (step + 1.0) / warmup) : base;
    }

    /** The first step of the learning-rate stage that contains {@code step} (0 for the initial stage). */
    public long stageStart(long step) {
        long start = 0;
        for (double[] s : lrStages) {
            if (step >= s[0]) {
                start = (long) s[0];
            }
        }
        return start;
    }

    /** Parses {@code STEP:LR,STEP:LR}. */
    public static List<double[]> parseStages(String text) {
        List<double[]> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.strip().split(":");
            try {
                out.add(new double[] {Long.parseLong(kv[0].strip()), Double.parseDouble(kv[1].strip())});
            } catch (RuntimeException e) {
                throw new InvalidInputException("learning-rate stage '" + part.strip() + "' is not STEP:LR");
            }
        }
        return out;
    }

    /** The configuration as an ordered map (recorded in checkpoints and run.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("warmup", warmup);
        List<String> st = new ArrayList<>();
        for (double[] s : lrStages) {
            st.add((long) s[0] + ":" + s[1]);
        }
        m.put("lr_stages", String.join(",", st));
        m.put("grad_clip", gradClip);
        m.put("ema_decay", emaDecay);
        m.put("dtype", dtype == DataType.FLOAT32 ? "float32" : "float64");
        m.put("seed", seed);
        m.put("weighting", weighting.key());
        m.put("eps_train", epsTrain);
        m.put("time_law", timeLaw.spec());
        m.put("fp_weight", fpWeight);
        m.put("fp_points", fpPoints.key());
        m.put("fp_batch", fpBatch);
        m.put("fp_power", fpPower);
        m.put("fp_weighting", fpWeighting.key());
        m.put("fp_tmin", fpTmin);
        m.put("fp_box", Double.isNaN(fpBox) ? "data" : (Object) fpBox);
        m.put("validate_every", validateEvery);
        m.put("validation_size", validationSize);
        m.put("time_input", timeInput.key());
        m.put("input_scaling", inputScaling.key());
        m.put("fresh_adam_per_stage", freshAdamPerStage);
        m.put("fresh_data", freshData);
        if (skip != Skip.NONE) {
            m.put("skip", skip.key()); // absent = none (so configurations without a skip keep their fingerprints)
        }
        return m;
    }

    /** Builder with the defaults listed on {@link TrainConfig}. */
    public static final class Builder {
        private TimeInput timeInput = TimeInput.LOG_SIGMA;
        private InputScaling inputScaling = InputScaling.PRECONDITIONED;
        private boolean freshAdamPerStage;
        private boolean freshData;
        private Skip skip = Skip.NONE;
        private int width = 128;
        private int depth = 3;
        private ActivationKind activation = ActivationKind.SILU;
        private double softplusBeta = 100;
        private int fourier = 6;
        private Parameterisation param = Parameterisation.NOISE;
        private int steps = 2000;
        private int batch = 256;
        private double lr = 1e-3;
        private int warmup = 100;
        private List<double[]> lrStages = new ArrayList<>();
        private double gradClip = 1;
        private double emaDecay = 0.999;
        private DataType dtype = DataType.FLOAT32;
        private long seed = 0;
        private Weighting weighting = Weighting.SIGMA2;
        private double epsTrain = 1e-5;
        private TimeLaw timeLaw = TimeLaw.UNIFORM;
        private double fpWeight = 0;
        private FpPoints fpPoints = FpPoints.PERTURBED;
        private int fpBatch = 64;
        private double fpPower = 2;
        private Weighting fpWeighting = Weighting.SIGMA2;
        private double fpTmin = 1e-3;
        private double fpBox = Double.NaN;
        private int validateEvery = -1;
        private int validationSize = 512;

        public Builder width(int v) { width = v; return this; }
        public Builder depth(int v) { depth = v; return this; }
        public Builder activation(ActivationKind v) { activation = v; return this; }
        public Builder softplusBeta(double v) { softplusBeta = v; return this; }
        public Builder fourier(int v) { fourier = v; return this; }
        public Builder param(Parameterisation v) { param = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder warmup(int v) { warmup = v; return this; }
        public Builder lrStages(List<double[]> v) { lrStages = new ArrayList<>(v); return this; }
        public Builder gradClip(double v) { gradClip = v; return this; }
        public Builder emaDecay(double v) { emaDecay = v; return this; }
        public Builder dtype(DataType v) { dtype = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder weighting(Weighting v) { weighting = v; return this; }
        public Builder epsTrain(double v) { epsTrain = v; return this; }
        public Builder timeLaw(TimeLaw v) { timeLaw = v; return this; }
        public Builder fpWeight(double v) { fpWeight = v; return this; }
        public Builder fpPoints(FpPoints v) { fpPoints = v; return this; }
        public Builder fpBatch(int v) { fpBatch = v; return this; }
        public Builder fpPower(double v) { fpPower = v; return this; }
        public Builder fpWeighting(Weighting v) { fpWeighting = v; return this; }
        public Builder fpTmin(double v) { fpTmin = v; return this; }
        public Builder fpBox(double v) { fpBox = v; return this; }
        /** Steps between validations; default max(1, steps/20). */
        public Builder validateEvery(int v) { validateEvery = v; return this; }
        public Builder validationSize(int v) { validationSize = v; return this; }
        public Builder timeInput(TimeInput v) { timeInput = v; return this; }
        public Builder inputScaling(InputScaling v) { inputScaling = v; return this; }
        /** A fresh Adam (zero moments, bias correction restarted) at each learning-rate stage, as P3 does. */
        public Builder freshAdamPerStage(boolean v) { freshAdamPerStage = v; return this; }
        /** Fresh draws from the data set's law at every step (P3) instead of the fixed training sample. */
        public Builder freshData(boolean v) { freshData = v; return this; }
        /** What the network output is added to ({@link Skip}); default none. */
        public Builder skip(Skip v) { skip = v; return this; }

        public TrainConfig build() {
            int every = validateEvery > 0 ? validateEvery : Math.max(1, steps / 20);
            return new TrainConfig(width, depth, activation, softplusBeta, fourier, param, steps, batch, lr, warmup,
                    lrStages, gradClip, emaDecay, dtype, seed, weighting, epsTrain, timeLaw, fpWeight, fpPoints, fpBatch,
                    fpPower, fpWeighting, fpTmin, fpBox, every, validationSize, timeInput, inputScaling, freshAdamPerStage,
                    freshData, skip);
        }
    }
}
