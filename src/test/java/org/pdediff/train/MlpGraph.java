package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.pdediff.sde.Sde;

/**
 * TEST REFERENCE: the MLP of a neural score as DJL tensor operations (the former training and evaluation path), kept
 * as an independent implementation against which the engine is checked. Everything that depends only on (x, t) — the preconditioned
 * input u, the time embedding and the output scale — is computed in Java in float64 and enters the graph as a
 * constant, so the graph depends on the parameters alone and one first-order backward gives their gradient.
 *
 * <p>Memory: every array made here belongs to the manager passed in (or to the manager of its first operand, which is
 * always an array of that manager); callers open a sub-manager per call or per training step and close it.
 */
final class MlpGraph {
    private static NDManager root;

    /** The shared root manager of the reference (sub-managers per call). */
    static synchronized NDManager root() {
        if (root == null) {
            root = NDManager.newBaseManager();
        }
        return root;
    }

    private final Architecture arch;
    private final Preconditioning pre;
    private final Sde sde;

    MlpGraph(Architecture arch, Preconditioning pre, Sde sde) {
        this.arch = arch;
        this.pre = pre;
        this.sde = sde;
    }

    Architecture arch() {
        return arch;
    }

    /**
     * Java-side inputs for n rows: u = c_in(x − αμ) (n × d), e(t) (n × |e|), and the output scale (n × 1): c_in for
     * score and potential outputs, −1/σ for noise outputs.
     */
    record Rows(int n, double[] u, double[] temb, double[] scale) {
    }

    /** Rows for points x (row-major n × d) at per-row times t. */
    Rows rows(double[] x, double[] t, int n) {
        int d = arch.dim();
        int e = arch.embedding();
        double[] mu = pre.mean();
        double[] u = new double[n * d];
        double[] temb = new double[n * e];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            double ti = t[i];
            double a = sde.alpha(ti);
            double s2 = sde.sigma2(ti);
            double cin = 1 / Math.sqrt(a * a * pre.variance() + s2);
            for (int j = 0; j < d; j++) {
                u[i * d + j] = cin * (x[i * d + j] - a * mu[j]);
            }
            arch.embed(0.5 * StrictMath.log(s2), temb, i * e);
            scale[i] = arch.parameterisation() == Parameterisation.NOISE ? -1 / Math.sqrt(s2) : cin;
        }
        return new Rows(n, u, temb, scale);
    }

    /** Rows for points x at one time t. */
    Rows rows(double[] x, double t, int n) {
        double[] ts = new double[n];
        java.util.Arrays.fill(ts, t);
        return rows(x, ts, n);
    }

    /**
     * A new array of type {@code dt} holding {@code v} (converted to float for FLOAT32), in memory owned by libtorch.
     *
     * <p>DJL wraps the Java direct buffer it copies the data into ({@code from_blob}); such buffers have whatever
     * alignment the JVM gave them, and vectorised CPU kernels may take alignment-dependent paths. A clone lives in
     * libtorch's own 64-byte-aligned memory, which removes that possible source of run-to-run variation (the one
     * actually observed came from subnormal numbers, see act).
     */
    static NDArray create(NDManager m, double[] v, Shape shape, DataType dt) {
        if (dt == DataType.FLOAT64) {
            return m.create(v, shape).duplicate();
        }
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
        }
        return m.create(f, shape).duplicate();
    }

    /** The parameter tensors of a flat vector, as arrays of {@code m}; with {@code grad} they are autograd leaves. */
    NDList params(NDManager m, double[] w, DataType dt, boolean grad) {
        NDList out = new NDList();
        for (Architecture.Tensor t : arch.tensors()) {
            double[] v = java.util.Arrays.copyOfRange(w, t.offset(), t.offset() + t.size());
            long[] shape = new long[t.shape().length];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = t.shape()[k];
            }
            NDArray a = create(m, v, new Shape(shape), dt);
            if (grad) {
                a.setRequiresGradient(true);
            }
            out.add(a);
        }
        return out;
    }

    /** Concatenates the gradients of parameter arrays into a flat vector (in layout order). */
    static double[] gradient(NDList params, int count) {
        double[] g = new double[count];
        int off = 0;
        for (NDArray p : params) {
            NDArray gr = p.getGradient();
            double[] v = gr.getDataType() == DataType.FLOAT64 ? gr.toDoubleArray() : toDouble(gr.toFloatArray());
            System.arraycopy(v, 0, g, off, v.length);
            off += v.length;
            gr.close();
        }
        return g;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }

    private NDArray act(NDArray z) {
        if (arch.activation() == ActivationKind.SILU) {
            return z.mul(sigmoid(z));
        }
        // softplus_β(z) = max(z, 0) + ln(1 + e^{−β|z|})/β, with the exponent clamped at −CLAMP: nothing overflows,
        // and no subnormal number is ever produced (e^{−80} ≈ 1.8e-35 is a normal float). Subnormals made results
        // differ from run to run (their handling depends on the CPU's flush-to-zero state, which native libraries
        // change), and libtorch's own softplus gave sporadic NaN gradients for β = 100. The clamp changes softplus by
        // at most e^{−80}/β.
        double b = arch.softplusBeta();
        return z.maximum(0).add(z.abs().mul(-b).clip(-CLAMP, 0).exp().add(1).log().div(b));
    }

    /** Largest |argument| of an exponential or sigmoid in the activations (e^{−80} is still a normal float). */
    static final double CLAMP = 80;

    /** σ(y) with y clamped to [−CLAMP, CLAMP] (see act); the clamp changes σ by at most e^{−80}. */
    private static NDArray sigmoid(NDArray y) {
        return Activation.sigmoid(y.clip(-CLAMP, CLAMP));
    }

    /** The derivative of the activation: SiLU' = σ(z)(1 + z(1 − σ(z))); Softplus_β' = σ(βz). */
    private NDArray actPrime(NDArray z) {
        if (arch.activation() == ActivationKind.SILU) {
            NDArray s = sigmoid(z);
            return s.mul(z.mul(s.neg().add(1)).add(1));
        }
        return sigmoid(z.mul(arch.softplusBeta()));
    }

    /** Network output N(u, t) (n × o); pre-activations are appended to {@code preacts} when it is not null. */
    NDArray network(NDManager m, NDList p, Rows r, DataType dt, List<NDArray> preacts) {
        int d = arch.dim();
        NDArray u = create(m, r.u(), new Shape(r.n(), d), dt);
        NDArray te = create(m, r.temb(), new Shape(r.n(), arch.embedding()), dt);
        NDArray z = u.matMul(p.get(0)).add(te.matMul(p.get(1))).add(p.get(2));
        if (preacts != null) {
            preacts.add(z);
        }
        NDArray h = act(z);
        int k = 3;
        for (int l = 1; l < arch.depth(); l++) {
            z = h.matMul(p.get(k)).add(p.get(k + 1));
            k += 2;
            if (preacts != null) {
                preacts.add(z);
            }
            h = act(z);
        }
        return h.matMul(p.get(k)).add(p.get(k + 1));
    }

    /**
     * The score s(x, t) (n × d) of the rows, by the model's parameterisation. For a potential, the x-gradient is the
     * hand-written vector–Jacobian product δ_L = Woutᵀ, δ_l ← (δ_{l+1} ⊙ act'(z_l)) W_lᵀ, ∂N/∂u = δ₀ W0xᵀ: ordinary
     * tensor operations, so autograd differentiates it once more with respect to the parameters (first order only).
     */
    NDArray score(NDManager m, NDList p, Rows r, DataType dt) {
        NDArray scale = create(m, r.scale(), new Shape(r.n(), 1), dt);
        if (arch.parameterisation() != Parameterisation.POTENTIAL) {
            return network(m, p, r, dt, null).mul(scale);
        }
        List<NDArray> z = new ArrayList<>();
        network(m, p, r, dt, z);
        int last = p.size() - 2; // Wout
        NDArray delta = actPrime(z.get(z.size() - 1)).mul(p.get(last).transpose());
        for (int l = z.size() - 1; l >= 1; l--) {
            NDArray w = p.get(3 + 2 * (l - 1)); // W_l
            delta = delta.matMul(w.transpose()).mul(actPrime(z.get(l - 1)));
        }
        return delta.matMul(p.get(0).transpose()).mul(scale);
    }

    /** The potential φ(t, x) = N(u, t) (n × 1); only for {@link Parameterisation#POTENTIAL}. */
    NDArray potential(NDManager m, NDList p, Rows r, DataType dt) {
        return network(m, p, r, dt, null);
    }
}
