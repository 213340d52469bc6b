package org.pdediff.sample;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;

/**
 * All the knobs of sampling, as an immutable value built with {@link #builder()}. Defaults follow MATH.md and
 * score_sde: uniform grid, 1000 steps, ε = 1e-3, λ = 1, snr = 0.16 with one corrector step run before the predictor,
 * η = 0, rtol = atol = 1e-5, no final denoising, a noisy last step. The record validates its values (the builder's {@link Builder#build()} goes through it).
 *
 * @param kind              the sampler
 * @param grid              the kind of time grid
 * @param steps             number of time steps
 * @param eps               the end time ε
 * @param seed              seed of every random draw
 * @param lambda            λ of the family M8 (EM only)
 * @param snr               signal-to-noise ratio of the Langevin corrector (PC)
 * @param correctorSteps    corrector steps per time step (PC)
 * @param correctorFirst    whether the corrector runs before the predictor (PC)
 * @param eta               η of DDIM
 * @param rtol              relative tolerance (dp45, bs23)
 * @param atol              absolute tolerance (dp45, bs23)
 * @param maxSteps          cap on accepted plus rejected steps (dp45, bs23)
 * @param finalDenoise      whether Tweedie's denoiser is applied at the end
 * @param noiselessLastStep whether the last step draws no noise
 * @param recordTimes       times at which the particles are recorded
 * @param listener          progress of the run
 * @param explicitGrid      the time grid to use instead of (grid, steps, eps), or null
 */
public record SamplingOptions(SamplerKind kind, GridKind grid, int steps, double eps, long seed, double lambda, double snr,
                              int correctorSteps, boolean correctorFirst, double eta, double rtol, double atol,
                              int maxSteps, boolean finalDenoise, boolean noiselessLastStep, double[] recordTimes,
                              ProgressListener listener, TimeGrid explicitGrid) {
    /** Validates every knob (one line naming the bad one) and keeps its own copy of the record times. */
    public SamplingOptions {
        if (steps <= 0) {
            throw new InvalidInputException("steps must be > 0, got " + steps);
        }
        if (!(eps > 0)) {
            throw new InvalidInputException("eps must be > 0, got " + eps);
        }
        if (!(lambda >= 0)) {
            throw new InvalidInputException("lambda must be >= 0, got " + lambda);
        }
        if (!(snr > 0)) {
            throw new InvalidInputException("snr must be > 0, got " + snr);
        }
        if (correctorSteps < 0) {
            throw new InvalidInputException("corrector steps must be >= 0, got " + correctorSteps);
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new InvalidInputException("eta must be in [0, 1], got " + eta);
        }
        AdaptiveStepBuilder.requireValidStepControl(rtol, atol, maxSteps);
        recordTimes = recordTimes.clone();
        for (double t : recordTimes) {
            if (!Double.isFinite(t)) {
                throw new InvalidInputException("record time " + t + " is not finite");
            }
        }
        listener = listener == null ? ProgressListener.NONE : listener;
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(grid, "grid");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy of the record times. */
    @Override
    public double[] recordTimes() {
        return recordTimes.clone();
    }

    /** The time grid from T to ε (the explicit grid if one was given). */
    public TimeGrid timeGrid(double T) {
        return explicitGrid != null ? explicitGrid : TimeGrid.of(grid, T, eps, steps);
    }

    /** A copy of this with another listener. */
    public SamplingOptions withListener(ProgressListener l) {
        return toBuilder().listener(l).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.kind = kind;
        b.grid = grid;
        b.steps = steps;
        b.eps = eps;
        b.seed = seed;
        b.lambda = lambda;
        b.snr = snr;
        b.correctorSteps = correctorSteps;
        b.correctorFirst = correctorFirst;
        b.eta = eta;
        b.rtol = rtol;
        b.atol = atol;
        b.maxSteps = maxSteps;
        b.finalDenoise = finalDenoise;
        b.noiselessLastStep = noiselessLastStep;
        b.recordTimes = recordTimes.clone();
        b.listener = listener;
        b.explicitGrid = explicitGrid;
        return b;
    }

    /** The parameters that matter for the chosen sampler, for {@code run.json}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sampler", kind.name().toLowerCase());
        m.put("grid", explicitGrid != null ? "explicit" : grid.name().toLowerCase());
        m.put("steps", explicitGrid != null ? explicitGrid.steps() : steps);
        m.put("eps", explicitGrid != null ? explicitGrid.end() : eps);
        m.put("seed", seed);
        switch (kind) {
            case EM -> {
                m.put("lambda", lambda);
                m.put("noiseless_last_step", noiselessLastStep);
            }
            case PC -> {
                m.put("snr", snr);
                m.put("corrector_steps", correctorSteps);
                m.put("corrector_first", correctorFirst);
                m.put("noiseless_last_step", noiselessLastStep);
            }
            case DDPM -> m.put("noiseless_last_step", noiselessLastStep);
            case DDIM -> m.put("eta", eta);
            case DP45, BS23 -> {
                m.put("rtol", rtol);
                m.put("atol", atol);
            }
            default -> {
            }
        }
        m.put("final_denoise", finalDenoise);
        if (recordTimes.length > 0) {
            m.put("record_times", recordTimes.clone());
        }
        return m;
    }

    /** Builder with the documented defaults. */
    public static final class Builder extends AdaptiveStepBuilder<Builder> {
        private SamplerKind kind = SamplerKind.EM;
        private GridKind grid = GridKind.UNIFORM;
        private int steps = 1000;
        private double eps = 1e-3;
        private long seed = 0;
        private double lambda = 1;
        private double snr = 0.16;
        private int correctorSteps = 1;
        private boolean correctorFirst = true;
        private double eta = 0;
        private boolean finalDenoise = false;
        private boolean noiselessLastStep = false;
        private double[] recordTimes = new double[0];
        private ProgressListener listener = ProgressListener.NONE;
        private TimeGrid explicitGrid;

        @Override
        Builder self() {
            return this;
        }

        public Builder kind(SamplerKind v) {
            kind = v;
            return this;
        }

        public Builder grid(GridKind v) {
            grid = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** λ of the family M8 (EM only): 1 = reverse SDE, 0 = probability-flow ODE by Euler. */
        public Builder lambda(double v) {
            lambda = v;
            return this;
        }

        public Builder snr(double v) {
            snr = v;
            return this;
        }

        public Builder correctorSteps(int v) {
            correctorSteps = v;
            return this;
        }

        public Builder correctorFirst(boolean v) {
            correctorFirst = v;
            return this;
        }

        public Builder eta(double v) {
            eta = v;
            return this;
        }

        public Builder finalDenoise(boolean v) {
            finalDenoise = v;
            return this;
        }

        public Builder noiselessLastStep(boolean v) {
            noiselessLastStep = v;
            return this;
        }

        /** Times at which to record the particles (the nearest grid time; exact for dp45 and bs23). */
        public Builder recordTimes(double... v) {
            recordTimes = v.clone();
            return this;
        }

        public Builder listener(ProgressListener v) {
            listener = v == null ? ProgressListener.NONE : v;
            return this;
        }

        /** Uses an explicit grid instead of (grid, steps, eps). */
        public Builder timeGrid(TimeGrid g) {
            explicitGrid = g;
            return this;
        }

        public SamplingOptions build() {
            return new SamplingOptions(kind, grid, steps, eps, seed, lambda, snr, correctorSteps, correctorFirst, eta, rtol,
                    atol, maxSteps, finalDenoise, noiselessLastStep, recordTimes, listener, explicitGrid);
        }
    }

    @Override
    public String toString() {
        return "SamplingOptions" + describe() + (recordTimes.length > 0 ? " record=" + Arrays.toString(recordTimes) : "");
    }
}
