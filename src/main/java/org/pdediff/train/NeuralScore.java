package org.pdediff.train;

import ai.djl.ndarray.types.DataType;
import org.pdediff.nn.MlpWeights;
import org.pdediff.nn.Precision;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.WithJacobian;
import org.pdediff.sde.Sde;

/**
 * A trained MLP score (or potential) as a {@link org.pdediff.score.ScoreModel} with an exact Jacobian (forward-mode Taylor channels through the MLP, {@link ScoreNet#jacobian}), usable by every sampler, PDE solver and metric.
 *
 * <p>Evaluation runs on pdediff's MLP engine ({@link ScoreNet}) in float64 by default, even for float32-trained
 * weights (which are exact in float64): finite-difference diagnostics such as {@link org.pdediff.score.ScoreDiagnostics} need float64
 * forward passes (MATH.md §7). A row's result does not depend on the batch it is evaluated in (bit-identical for
 * any --batch). For a potential the score ∇ₓφ comes from first-order Taylor channels (exact, not differenced).
 * Thread-safe: the weights are shared and immutable, each thread has its own engine workspace.
 */
public final class NeuralScore implements WithJacobian {
    private final Architecture arch;
    private final Preconditioning pre;
    private final Sde sde;
    private final double[] weights;
    private final DataType evalType;
    private final MlpWeights engineWeights;
    private final ThreadLocal<ScoreNet> nets;

    /**
     * @param weights  flat parameter vector in the layout of {@link Architecture#tensors()} (copied)
     * @param evalType FLOAT64 (default for analysis) or FLOAT32 (faster sampling)
     */
    public NeuralScore(Architecture arch, Preconditioning pre, Sde sde, double[] weights, DataType evalType) {
        if (weights.length != arch.parameterCount()) {
            throw new IllegalArgumentException("weights have length " + weights.length + ", architecture needs " + arch.parameterCount());
        }
        if (evalType != DataType.FLOAT32 && evalType != DataType.FLOAT64) {
            throw new IllegalArgumentException("evaluation type must be float32 or float64, got " + evalType);
        }
        if (pre.mean().length != arch.dim()) {
            throw new IllegalArgumentException("preconditioning mean has length " + pre.mean().length + ", dim is " + arch.dim());
        }
        this.arch = arch;
        this.pre = pre;
        this.sde = sde;
        this.weights = weights.clone();
        this.evalType = evalType;
        Precision precision = evalType == DataType.FLOAT32 ? Precision.FLOAT32 : Precision.FLOAT64;
        this.nets = ThreadLocal.withInitial(() -> new ScoreNet(arch, pre, sde, precision));
        this.engineWeights = new MlpWeights(ScoreNet.shape(arch), precision, this.weights);
    }

    /** A float64-evaluating score from a checkpoint's inference weights. */
    public static NeuralScore of(Checkpoint c) {
        return new NeuralScore(c.architecture(), c.preconditioning(), c.sde(), c.weights(), DataType.FLOAT64);
    }

    /**
     * The same weights evaluated in {@code precision}: FLOAT32 for sampling (the engine's float32 kernels give the score
     * of a 3×80 Softplus potential 1.68× faster than float64, scores equal to 9e-7 relative; bench/sampling_precision_bench.sh,
     * 2026-12-02), FLOAT64 for finite-difference diagnostics.
     */
    public NeuralScore withEvaluation(Precision precision) {
        DataType t = precision == Precision.FLOAT32 ? DataType.FLOAT32 : DataType.FLOAT64;
        return t == evalType ? this : new NeuralScore(arch, pre, sde, weights, t);
    }

    /** The precision the engine evaluates this score in. */
    public Precision evaluation() {
        return evalType == DataType.FLOAT32 ? Precision.FLOAT32 : Precision.FLOAT64;
    }

    public Architecture architecture() {
        return arch;
    }

    public Preconditioning preconditioning() {
        return pre;
    }

    /** A copy of the flat weight vector. */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public Sde sde() {
        return sde;
    }

    @Override
    public int dim() {
        return arch.dim();
    }

    private static void checkTime(double t) {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new InvalidInputException("a neural score needs a time t > 0, got " + t);
        }
    }

    /** The checks of every batched call (t &gt; 0, dimension), then t once per row; null for an empty batch. */
    private double[] rowTimes(Batch x, double t, String what) {
        checkTime(t);
        x.requireDim(arch.dim(), what);
        if (x.size() == 0) {
            return null;
        }
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        return ts;
    }

    @Override
    public void score(Batch x, double t, Batch out) {
        double[] ts = rowTimes(x, t, "neural score input");
        if (ts == null) {
            return;
        }
        double[] s = nets.get().score(engineWeights, x.data(), ts, x.size());
        System.arraycopy(s, 0, out.data(), 0, s.length);
    }

    /** The score at points x (row-major n × d) with one time per row, as a new row-major array. */
    double[] scoreRows(double[] x, double[] t, int n) {
        for (double ti : t) {
            checkTime(ti);
        }
        if (n == 0) {
            return new double[0];
        }
        return nets.get().score(engineWeights, x, t, n);
    }

    /**
     * The potential φ(t, x_i) of a {@link Parameterisation#POTENTIAL} model (an unnormalised log-density whose
     * x-gradient is the score).
     */
    public double[] potential(Batch x, double t) {
        if (arch.parameterisation() != Parameterisation.POTENTIAL) {
            throw new InvalidInputException("model has no potential (parameterisation " + arch.parameterisation().key() + ")");
        }
        double[] ts = rowTimes(x, t, "neural potential input");
        if (ts == null) {
            return new double[0];
        }
        return nets.get().potential(engineWeights, x.data(), ts, x.size());
    }

    @Override
    public void jacobian(Batch x, double t, double[] out) {
        double[] ts = rowTimes(x, t, "neural score input");
        if (ts == null) {
            return;
        }
        nets.get().jacobian(engineWeights, x.data(), ts, x.size(), out);
    }

    @Override
    public String describe() {
        return "model(" + arch.parameterisation().key() + ", " + arch.dim() + "-" + arch.width() + "x" + arch.depth()
                + ", " + arch.activation().key() + ")";
    }
}
