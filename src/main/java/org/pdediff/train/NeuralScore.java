package org.pdediff.train;

import ai.djl.ndarray.types.DataType;
import org.pdediff.nn.MlpWeights;
import org.pdediff.nn.Precision;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * A trained MLP score (or potential) as a {@link ScoreModel}, usable by every sampler, PDE solver and metric.
 *
 * <p>Evaluation runs on pdediff's MLP engine ({@link ScoreNet}) in float64 by default, even for float32-trained
 * weights (which are exact in float64): finite-difference diagnostics such as {@link FpResidual} need float64
 * forward passes (MATH.md §7). A row's result does not depend on the batch it is evaluated in (bit-identical for
 * any --batch). For a potential the score ∇ₓφ comes from first-order Taylor channels (exact, not differenced).
 * Thread-safe: the weights are shared and immutable, each thread has its own engine workspace.
 */
public final class NeuralScore implements ScoreModel {
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

    @Override
    public void score(Batch x, double t, Batch out) {
        checkTime(t);
        x.requireDim(arch.dim(), "neural score input");
        if (x.size() == 0) {
            return;
        }
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
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
        checkTime(t);
        x.requireDim(arch.dim(), "neural potential input");
        if (x.size() == 0) {
            return new double[0];
        }
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        return nets.get().potential(engineWeights, x.data(), ts, x.size());
    }

    /** The Jacobian is exact (forward-mode Taylor channels through the MLP, see {@link ScoreNet#jacobian}). */
    @Override
    public boolean hasJacobian() {
        return true;
    }

    @Override
    public void jacobian(Batch x, double t, double[] out) {
        checkTime(t);
        x.requireDim(arch.dim(), "neural score input");
        if (x.size() == 0) {
            return;
        }
        double[] ts = new double[x.size()];
        java.util.Arrays.fill(ts, t);
        nets.get().jacobian(engineWeights, x.data(), ts, x.size(), out);
    }

    /** The divergence is the trace of the exact Jacobian. */
    @Override
    public boolean hasDivergence() {
        return true;
    }

    @Override
    public void divergence(Batch x, double t, double[] out) {
        int d = arch.dim();
        double[] j = new double[x.size() * d * d];
        jacobian(x, t, j);
        for (int i = 0; i < x.size(); i++) {
            double tr = 0;
            for (int a = 0; a < d; a++) {
                tr += j[i * d * d + a * d + a];
            }
            out[i] = tr;
        }
    }

    @Override
    public String describe() {
        return "model(" + arch.parameterisation().key() + ", " + arch.dim() + "-" + arch.width() + "x" + arch.depth()
                + ", " + arch.activation().key() + ")";
    }
}
