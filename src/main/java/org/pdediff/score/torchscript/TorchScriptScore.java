package org.pdediff.score.torchscript;

import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.core.Stencil;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.WithJacobian;
import org.pdediff.sde.Sde;

/**
 * A score network trained and exported in PyTorch (a TorchScript file), as a {@link ScoreModel} usable by every
 * sampler, PDE solver, metric and experiment, with derivatives through libtorch's autograd (DJL's PyTorch engine).
 *
 * <p>Call contract: {@code forward(x, t)} with x of shape [n, d] and t of shape [n] holding τ = {@link TimeInput} of
 * the SDE time, returning [n, d] ({@link ScoreOutput#SCORE}, {@link ScoreOutput#NOISE} with s = −ε/σ) or [n] / [n, 1]
 * ({@link ScoreOutput#POTENTIAL}, s = ∇ₓφ). The module runs in eval mode (set once at load, so dropout is the
 * identity and batch norm uses its running statistics) with autograd switched on per call only where a derivative is
 * needed; its parameters are frozen, so backward passes reach the inputs only.
 *
 * <p>Derivatives (output y of the network, c = 1 for score, −1/σ for noise, τ' = dτ/dt):
 * <ul>
 *   <li>score/noise, exact by one first-order backward over the batch tiled d times with one-hot output cotangents:
 *   ∇s = c ∇y, ∂_t s = c τ' ∂_τ y − (σ'/σ)[noise] s, ∇·s = tr ∇s; vector–Jacobian products vᵀ∇s by one backward with
 *   cotangent c v; Jacobian–vector products from the exact Jacobian;</li>
 *   <li>potential: s = ∇φ and ∂_τφ exact by one backward; the Hessian ∇s and ∂_t s = τ'∇(∂_τφ) by central differences
 *   of these exact first derivatives with step h = ε^{1/3}σ(t) (ε the machine epsilon of the model's dtype;
 *   truncation O(h²) and rounding O(ε/h) relative, both ≈ ε^{2/3}: 4·10⁻¹¹ in float64). Exact second derivatives
 *   would need {@code backward(create_graph=true)}, which in libtorch ties each input to its gradient in a reference
 *   cycle that is never freed (about 50 bytes per row per call, measured); DJL exposes no {@code autograd.grad}.</li>
 *   <li>the score-FP residual (M5) r = ∂_t s − [½g² ∇(∇·s) + g² ∇sᵀs + a(s + ∇sᵀx)] ({@link #fpResidual}): all
 *   terms as above at x; ∇(∇·s) by central differences of the divergence at x ± h e_k (exact divergences for
 *   score/noise with h = ε^{1/3}σ, error ≈ ε^{2/3}); for a potential ∇(Δφ) by second differences of the exact
 *   gradient, Richardson-extrapolated from steps h and 2h with h = ε^{1/6}σ (truncation O(h⁴), rounding O(ε/h²),
 *   both ≈ ε^{2/3}: 4·10⁻¹¹ relative in float64).</li>
 *   <li>{@link #hutchinson}: vᵀ∇s v averaged over Rademacher probes v, with its standard error, for large d.</li>
 * </ul>
 *
 * <p>Evaluation of {@link #score} is done in fixed chunks of {@link #CHUNK} rows (the last one padded), so that every
 * point goes through identically shaped kernels and its score does not depend on the batch it came in. Thread-safe:
 * each call has its own NDManager and sets libtorch's (thread-local) grad mode only for itself.
 */
public sealed class TorchScriptScore implements ScoreModel, AutoCloseable permits TorchScriptScore.Small {
    /**
     * Largest d for which a loaded score advertises its Jacobian and divergence, i.e. is a {@link WithJacobian} (cost:
     * d× a forward+backward); {@link #jacobian} and {@link #divergence} can still be called directly beyond it.
     */
    public static final int EXACT_MAX_DIM = 16;
    /** Rows per forward call of {@link #score}. */
    public static final int CHUNK = 256;
    /** Largest number of rows of one tiled derivative call. */
    static final int MAX_ROWS = 1 << 15;

    private final TorchScriptSpec spec;
    private final Sde sde;
    private final int dim;
    private final Precision precision;
    private final Model model;
    private final PtSymbolBlock block;
    private final NDManager base;
    private final String name;

    private TorchScriptScore(TorchScriptSpec spec, Sde sde, int dim, Precision precision, Model model) {
        this.spec = spec;
        this.sde = sde;
        this.dim = dim;
        this.precision = precision;
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.base = model.getNDManager().newSubManager();
        this.name = spec.path().getFileName().toString();
    }

    /**
     * Loads a TorchScript score and runs the self-check ({@link #selfCheck}); every contract violation is an
     * {@link InvalidInputException} with a one-line message.
     *
     * @param dim the data dimension d
     */
    public static TorchScriptScore load(TorchScriptSpec spec, Sde sde, int dim) {
        Path p = spec.path();
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("torchscript: no such file: " + p);
        }
        if (!Files.isReadable(p)) {
            throw new InvalidInputException("torchscript: cannot read " + p);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K') {
                throw new InvalidInputException("torchscript: " + p + " is not a TorchScript file (torch.jit.save writes a zip archive)");
            }
        } catch (IOException e) {
            throw new InvalidInputException("torchscript: cannot read " + p + ": " + e.getMessage());
        }
        Model m = Model.newInstance("torchscript", Device.cpu(), "PyTorch");
        TorchScriptScore s = null;
        try {
            try {
                // trainParam=true: default loading is inference mode, whose tensors refuse backward (notes/djl.md)
                m.load(p, null, Map.of("trainParam", "true"));
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new InvalidInputException("torchscript: " + p + " is not a loadable TorchScript file (" + firstLine(e) + ")");
            }
            if (!(m.getBlock() instanceof PtSymbolBlock blk)) {
                throw new InvalidInputException("torchscript: " + p + " did not load as a TorchScript module");
            }
            Set<Precision> types = EnumSet.noneOf(Precision.class);
            for (Parameter par : blk.getDirectParameters().values()) {
                DataType t = par.getArray().getDataType();
                Precision pr = Precision.of(t);
                if (pr == null) {
                    throw new InvalidInputException("torchscript: " + p + " has a parameter '" + par.getName() + "' of type "
                            + t + "; only float32 and float64 networks are supported");
                }
                types.add(pr);
            }
            if (types.size() > 1) {
                throw new InvalidInputException("torchscript: " + p + " mixes float32 and float64 weights; export it with .float() or .double()");
            }
            Precision weights = types.isEmpty() ? null : types.iterator().next();
            Precision use = spec.dtype() != null ? spec.dtype() : weights != null ? weights : Precision.FLOAT32;
            if (weights != null && spec.dtype() != null && weights != spec.dtype()) {
                throw new InvalidInputException("torchscript: " + p + " has " + weights.key() + " weights but dtype="
                        + spec.dtype().key() + " was requested (export with ." + (spec.dtype() == Precision.FLOAT64 ? "double" : "float")
                        + "() or drop dtype=)");
            }
            blk.freezeParameters(true);
            JniUtils.enableInferenceMode(blk); // module.eval(): dropout off, batch norm on running statistics
            s = dim <= EXACT_MAX_DIM ? new Small(spec, sde, dim, use, m) : new TorchScriptScore(spec, sde, dim, use, m);
            s.selfCheck();
            return s;
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            } else {
                m.close();
            }
            throw e;
        }
    }

    /** The parsed spec. */
    public TorchScriptSpec spec() {
        return spec;
    }

    /** The precision the network computes in. */
    public Precision precision() {
        return precision;
    }

    @Override
    public Sde sde() {
        return sde;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public String describe() {
        return "torchscript(" + name + ", output=" + spec.output().key() + ", time=" + spec.time().key() + ", "
                + precision.key() + ")";
    }

    @Override
    public void close() {
        base.close();
        model.close();
    }

    // ---------------------------------------------------------------- evaluation primitives

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private NDArray array(NDManager m, double[] v, Shape shape) {
        if (precision == Precision.FLOAT64) {
            return m.create(v, shape);
        }
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
        }
        return m.create(f, shape);
    }

    private static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] v = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            v[k] = f[k];
        }
        return v;
    }

    /** Runs forward on (x [n, d], τ [n]) and checks the output's shape and type. */
    private NDArray forward(NDArray x, NDArray tau, boolean grad) {
        NDList out;
        try {
            out = IValueUtils.forward(block, new NDList(x, tau), grad);
        } catch (RuntimeException e) {
            throw new InvalidInputException("torchscript: " + name + " failed in forward on x of shape " + x.getShape()
                    + ", t of shape " + tau.getShape() + ": " + firstLine(e));
        }
        if (out.size() != 1) {
            throw new InvalidInputException("torchscript: " + name + " returns " + out.size() + " tensors; forward(x, t) must return one");
        }
        NDArray y = out.get(0);
        long n = x.getShape().get(0);
        Shape sh = y.getShape();
        boolean ok = spec.output() == ScoreOutput.POTENTIAL
                ? sh.equals(new Shape(n)) || sh.equals(new Shape(n, 1))
                : sh.equals(new Shape(n, dim));
        if (!ok) {
            String want = spec.output() == ScoreOutput.POTENTIAL ? "(" + n + ") or (" + n + ", 1)" : "(" + n + ", " + dim + ")";
            throw new InvalidInputException("torchscript: " + name + " returns shape " + sh + " for x of shape " + x.getShape()
                    + "; output=" + spec.output().key() + " needs " + want);
        }
        if (y.getDataType() != precision.type()) {
            throw new InvalidInputException("torchscript: " + name + " returns " + y.getDataType() + " for " + precision.key()
                    + " inputs; pass dtype= matching its weights");
        }
        return y;
    }

    /**
     * Network values and exact first derivatives at rows x (n × d) with per-row τ.
     *
     * @param y    score/noise: y (n × d); potential: φ (n)
     * @param grad score/noise with tiling: ∂y_a/∂x_b (n × d × d); potential: ∇φ (n × d); else null
     * @param dtau score/noise with tiling: ∂y_a/∂τ (n × d); potential: ∂φ/∂τ (n); else null
     */
    private record Raw(double[] y, double[] grad, double[] dtau) {
    }

    /** Forward only (no autograd), in chunks of {@link #CHUNK} rows, the last padded by repeating its last row. */
    private double[] forwardValues(double[] x, double[] tau, int n) {
        int w = spec.output() == ScoreOutput.POTENTIAL ? 1 : dim;
        double[] out = new double[n * w];
        double[] xc = new double[CHUNK * dim];
        double[] tc = new double[CHUNK];
        for (int first = 0; first < n; first += CHUNK) {
            int count = Math.min(CHUNK, n - first);
            for (int r = 0; r < CHUNK; r++) {
                int row = first + Math.min(r, count - 1);
                System.arraycopy(x, row * dim, xc, r * dim, dim);
                tc[r] = tau[row];
            }
            try (NDManager m = base.newSubManager()) {
                double[] y = values(forward(array(m, xc, new Shape(CHUNK, dim)), array(m, tc, new Shape(CHUNK)), false));
                System.arraycopy(y, 0, out, first * w, count * w);
            }
        }
        return out;
    }

    /**
     * One backward pass: x (n × d) and τ (n) leaves, y = f(x, τ), cotangent {@code cot} (n × d for score/noise, null
     * for a potential = ones). Returns (y, x̄ = Σ_a cot_a ∂y_a/∂x, τ̄ = Σ_a cot_a ∂y_a/∂τ).
     */
    private Raw backward(double[] x, double[] tau, int n, double[] cot) {
        boolean prev = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try (NDManager m = base.newSubManager()) {
            PtNDArray xs = (PtNDArray) array(m, x, new Shape(n, dim));
            PtNDArray ts = (PtNDArray) array(m, tau, new Shape(n));
            JniUtils.attachGradient(xs, true);
            JniUtils.attachGradient(ts, true);
            PtNDArray y = (PtNDArray) forward(xs, ts, true);
            PtNDArray c = cot == null ? (PtNDArray) y.onesLike() : (PtNDArray) array(m, cot, y.getShape());
            try {
                JniUtils.backward(y, c, false, false);
            } catch (RuntimeException e) {
                throw new InvalidInputException("torchscript: " + name + " failed in backward (is forward differentiable in x and t?): "
                        + firstLine(e));
            }
            // an undefined gradient (null) means the output does not depend on that input
            PtNDArray gxa = JniUtils.getGradient(xs);
            PtNDArray gta = JniUtils.getGradient(ts);
            double[] gx = gxa == null ? new double[n * dim] : values(gxa);
            double[] gt = gta == null ? new double[n] : values(gta);
            return new Raw(values(y), gx, gt);
        } finally {
            JniUtils.setGradMode(prev);
        }
    }

    /**
     * Values and exact first derivatives ({@link Raw}) at rows x with per-row τ: for score/noise by the batch tiled d
     * times (block a has cotangent e_a), in pieces of at most {@link #MAX_ROWS} rows; for a potential by one backward.
     */
    private Raw raw(double[] x, double[] tau, int n) {
        int d = dim;
        if (spec.output() == ScoreOutput.POTENTIAL) {
            double[] y = new double[n];
            double[] g = new double[n * d];
            double[] dt = new double[n];
            int step = Math.max(1, MAX_ROWS);
            for (int first = 0; first < n; first += step) {
                int cnt = Math.min(step, n - first);
                Raw r = backward(Arrays.copyOfRange(x, first * d, (first + cnt) * d), Arrays.copyOfRange(tau, first, first + cnt), cnt, null);
                System.arraycopy(r.y(), 0, y, first, cnt);
                System.arraycopy(r.grad(), 0, g, first * d, cnt * d);
                System.arraycopy(r.dtau(), 0, dt, first, cnt);
            }
            return new Raw(y, g, dt);
        }
        double[] y = new double[n * d];
        double[] jac = new double[n * d * d];
        double[] dt = new double[n * d];
        int step = Math.max(1, MAX_ROWS / d);
        for (int first = 0; first < n; first += step) {
            int cnt = Math.min(step, n - first);
            int rows = cnt * d;
            double[] xt = new double[rows * d];
            double[] tt = new double[rows];
            double[] cot = new double[rows * d];
            for (int a = 0; a < d; a++) {
                System.arraycopy(x, first * d, xt, a * cnt * d, cnt * d);
                System.arraycopy(tau, first, tt, a * cnt, cnt);
                for (int i = 0; i < cnt; i++) {
                    cot[(a * cnt + i) * d + a] = 1;
                }
            }
            Raw r = backward(xt, tt, rows, cot);
            System.arraycopy(r.y(), 0, y, first * d, cnt * d);
            for (int a = 0; a < d; a++) {
                for (int i = 0; i < cnt; i++) {
                    int row = a * cnt + i;
                    System.arraycopy(r.grad(), row * d, jac, ((first + i) * d + a) * d, d);
                    dt[(first + i) * d + a] = r.dtau()[row];
                }
            }
        }
        return new Raw(y, jac, dt);
    }

    private double[] taus(double t, int n) {
        double[] tau = new double[n];
        Arrays.fill(tau, spec.time().value(sde, t));
        return tau;
    }

    /** c(t) with s = c·y: 1 for score, −1/σ for noise. */
    private double outputScale(double t) {
        return spec.output() == ScoreOutput.NOISE ? -1 / sde.sigma(t) : 1;
    }

    private static void checkTime(Sde sde, double t) {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new InvalidInputException("a torchscript score needs a time t > 0, got " + t);
        }
    }

    // ---------------------------------------------------------------- ScoreModel

    @Override
    public void score(Batch x, double t, Batch out) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        int n = x.size();
        if (n == 0) {
            return;
        }
        double[] o = out.data();
        if (spec.output() == ScoreOutput.POTENTIAL) {
            System.arraycopy(raw(x.data(), taus(t, n), n).grad(), 0, o, 0, n * dim);
            return;
        }
        double[] y = forwardValues(x.data(), taus(t, n), n);
        double c = outputScale(t);
        for (int k = 0; k < n * dim; k++) {
            o[k] = c * y[k];
        }
    }

    /** The Jacobian is exact (score/noise) or a central difference of the exact gradient (potential); see the class doc. */
    public void jacobian(Batch x, double t, double[] out) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        Derivs dv = derivatives(x.data(), x.size(), t, false);
        System.arraycopy(dv.jac(), 0, out, 0, dv.jac().length);
    }


    /** The divergence ∇·s at the points (autograd, see the class doc). */
    public void divergence(Batch x, double t, double[] out) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        double[] div = divergences(x.data(), x.size(), t);
        System.arraycopy(div, 0, out, 0, div.length);
    }

    /** s, ∇s (n × d × d) and, when asked, ∂_t s (n × d) at x, time t. */
    private record Derivs(double[] s, double[] jac, double[] dts) {
    }

    /** Step of the central differences of exact first derivatives: ε^{1/3}σ(t) (see the class doc). */
    private double step(double t, double power) {
        return Math.pow(precision.eps(), power) * sde.sigma(t);
    }

    private Derivs derivatives(double[] x, int n, double t, boolean withTime) {
        int d = dim;
        double tp = spec.time().derivative(sde, t);
        if (spec.output() != ScoreOutput.POTENTIAL) {
            Raw r = raw(x, taus(t, n), n);
            double c = outputScale(t);
            double[] s = new double[n * d];
            double[] jac = new double[n * d * d];
            double[] dts = new double[n * d];
            double rate = spec.output() == ScoreOutput.NOISE ? TimeInput.sigmaRate(sde, t) : 0;
            for (int k = 0; k < n * d; k++) {
                s[k] = c * r.y()[k];
                dts[k] = c * tp * r.dtau()[k] - rate * s[k];
            }
            for (int k = 0; k < jac.length; k++) {
                jac[k] = c * r.grad()[k];
            }
            return new Derivs(s, jac, dts);
        }
        // potential: exact ∇φ and ∂_τφ at x and x ± h e_b; Hessian and ∇(∂_τφ) by central differences
        double h = step(t, 1.0 / 3);
        double[] xs = new double[(1 + 2 * d) * n * d];
        for (int b = 0; b < 1 + 2 * d; b++) {
            System.arraycopy(x, 0, xs, b * n * d, n * d);
        }
        for (int b = 0; b < d; b++) {
            for (int i = 0; i < n; i++) {
                xs[((1 + 2 * b) * n + i) * d + b] += h;
                xs[((2 + 2 * b) * n + i) * d + b] -= h;
            }
        }
        int rows = (1 + 2 * d) * n;
        Raw r = raw(xs, taus(t, rows), rows);
        double[] g = r.grad();
        double[] s = Arrays.copyOf(g, n * d);
        double[] jac = new double[n * d * d];
        double[] dts = new double[n * d];
        for (int b = 0; b < d; b++) {
            int p = (1 + 2 * b) * n;
            int m = (2 + 2 * b) * n;
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    jac[(i * d + a) * d + b] = (g[(p + i) * d + a] - g[(m + i) * d + a]) / (2 * h);
                }
                dts[i * d + b] = tp * (r.dtau()[p + i] - r.dtau()[m + i]) / (2 * h);
            }
        }
        return new Derivs(s, jac, dts);
    }

    private double[] divergences(double[] x, int n, double t) {
        int d = dim;
        double[] jac = derivatives(x, n, t, false).jac();
        double[] div = new double[n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                div[i] += jac[(i * d + a) * d + a];
            }
        }
        return div;
    }

    // ---------------------------------------------------------------- products, Hutchinson, FP residual

    /**
     * Vector–Jacobian products out_i = v_iᵀ ∇s(x_i, t) by one backward (exact) for score/noise; for a potential
     * (symmetric Hessian) a central difference of the exact gradient along v_i.
     */
    public Batch vjp(Batch x, double t, Batch v) {
        checkProduct(x, t, v, "vjp vector");
        int n = x.size();
        Batch out = Batch.zeros(n, dim);
        if (n == 0) {
            return out;
        }
        if (spec.output() == ScoreOutput.POTENTIAL) {
            return alongPotential(x, t, v);
        }
        double c = outputScale(t);
        double[] cot = v.data().clone();
        for (int k = 0; k < cot.length; k++) {
            cot[k] *= c;
        }
        double[] g = new double[n * dim];
        int step = MAX_ROWS;
        for (int first = 0; first < n; first += step) {
            int cnt = Math.min(step, n - first);
            Raw r = backward(Arrays.copyOfRange(x.data(), first * dim, (first + cnt) * dim), taus(t, cnt), cnt,
                    Arrays.copyOfRange(cot, first * dim, (first + cnt) * dim));
            System.arraycopy(r.grad(), 0, g, first * dim, cnt * dim);
        }
        System.arraycopy(g, 0, out.data(), 0, g.length);
        return out;
    }

    /** Jacobian–vector products out_i = ∇s(x_i, t) u_i from the exact Jacobian (cost: d backward passes per point). */
    public Batch jvp(Batch x, double t, Batch u) {
        checkProduct(x, t, u, "jvp vector");
        int n = x.size();
        int d = dim;
        if (spec.output() == ScoreOutput.POTENTIAL) {
            return alongPotential(x, t, u);
        }
        double[] jac = derivatives(x.data(), n, t, false).jac();
        Batch out = Batch.zeros(n, d);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += jac[(i * d + a) * d + b] * u.get(i, b);
                }
                out.set(i, a, s);
            }
        }
        return out;
    }

    /** The checks of a Jacobian product: t in the SDE's range, x and the vector (named {@code what}) of dimension d. */
    private void checkProduct(Batch x, double t, Batch vector, String what) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        vector.requireDim(dim, what);
    }

    /** ∇²φ(x_i) v_i by (∇φ(x + h v̂) − ∇φ(x − h v̂))|v|/(2h), v̂ = v/|v|, h = ε^{1/3}σ. */
    private Batch alongPotential(Batch x, double t, Batch v) {
        int n = x.size();
        int d = dim;
        double h = step(t, 1.0 / 3);
        double[] xs = new double[2 * n * d];
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                q += v.get(i, j) * v.get(i, j);
            }
            norm[i] = Math.sqrt(q);
            for (int j = 0; j < d; j++) {
                double e = norm[i] > 0 ? h * v.get(i, j) / norm[i] : 0;
                xs[i * d + j] = x.get(i, j) + e;
                xs[(n + i) * d + j] = x.get(i, j) - e;
            }
        }
        double[] g = raw(xs, taus(t, 2 * n), 2 * n).grad();
        Batch out = Batch.zeros(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out.set(i, j, norm[i] * (g[i * d + j] - g[(n + i) * d + j]) / (2 * h));
            }
        }
        return out;
    }

    /**
     * A Hutchinson estimate of ∇·s(x_i, t) (MATH.md §7): the mean of vᵀ∇s v over {@code probes} Rademacher vectors v,
     * probe k of point i drawn from particle stream i of {@code rng} at counters k·d … k·d + d − 1 (so the estimate of
     * a point does not depend on the batch), with its standard error sd/√probes.
     *
     * @param mean   the estimates
     * @param stderr their standard errors (NaN for one probe)
     */
    public record DivergenceEstimate(double[] mean, double[] stderr) {
    }

    /** See {@link DivergenceEstimate}. */
    public DivergenceEstimate hutchinson(Batch x, double t, int probes, RandomStream rng) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        if (probes < 1) {
            throw new InvalidInputException("Hutchinson needs at least one probe, got " + probes);
        }
        int n = x.size();
        int d = dim;
        Batch xs = Batch.zeros(n * probes, d);
        Batch vs = Batch.zeros(n * probes, d);
        for (int i = 0; i < n; i++) {
            long p = rng.particle(i);
            for (int k = 0; k < probes; k++) {
                int row = k * n + i;
                for (int j = 0; j < d; j++) {
                    xs.set(row, j, x.get(i, j));
                    vs.set(row, j, (RandomStream.bitsAt(p, (long) k * d + j) & 1) == 0 ? 1 : -1);
                }
            }
        }
        Batch w = vjp(xs, t, vs);
        double[] mean = new double[n];
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            double s1 = 0;
            double s2 = 0;
            for (int k = 0; k < probes; k++) {
                int row = k * n + i;
                double q = 0;
                for (int j = 0; j < d; j++) {
                    q += w.get(row, j) * vs.get(row, j);
                }
                s1 += q;
                s2 += q * q;
            }
            mean[i] = s1 / probes;
            se[i] = probes > 1 ? Math.sqrt(Math.max(0, (s2 - probes * mean[i] * mean[i]) / (probes - 1)) / probes) : Double.NaN;
        }
        return new DivergenceEstimate(mean, se);
    }

    /**
     * Divergence and Li–Yau diagnostics at the points (M14, claim C3), JSON-ready (snake_case keys).
     *
     * @param liYauMarginMin      the smallest Li–Yau margin λ_min(sym ∇s) + 1/σ² over the points (exact Jacobian,
     *                            d ≤ {@link #EXACT_MAX_DIM}); null (absent) for larger d
     * @param divergenceMean      the mean of ∇·s over the points: exact for d ≤ {@link #EXACT_MAX_DIM}, else a
     *                            Hutchinson estimate (16 probes)
     * @param divergenceMeanSe    the standard error of that mean over the probes (0 when exact)
     * @param divergenceMarginMin the smallest trace margin ∇·s + d/σ² (≥ 0 for every exact score)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DivergenceDiagnostics(@JsonInclude(JsonInclude.Include.NON_NULL) Double liYauMarginMin, double divergenceMean,
                                        double divergenceMeanSe, double divergenceMarginMin) {
    }

    /** See {@link DivergenceDiagnostics}; {@code rng} draws the Hutchinson probes (unused when exact). */
    public DivergenceDiagnostics divergenceDiagnostics(Batch x, double t, RandomStream rng) {
        int n = x.size();
        int d = x.dim();
        double inv = 1 / sde.sigma2(t);
        double[] div;
        double se = 0;
        Double liYau = null;
        if (this instanceof WithJacobian) {
            double[] jac = new double[n * d * d];
            jacobian(x, t, jac);
            double[] ly = ScoreDiagnostics.liYauMargin(jac, d, sde.sigma2(t));
            double minLy = Double.POSITIVE_INFINITY;
            div = new double[n];
            for (int i = 0; i < n; i++) {
                minLy = Math.min(minLy, ly[i]);
                for (int a = 0; a < d; a++) {
                    div[i] += jac[(i * d + a) * d + a];
                }
            }
            liYau = minLy;
        } else {
            DivergenceEstimate h = hutchinson(x, t, 16, rng);
            div = h.mean();
            for (double e : h.stderr()) {
                se += e * e;
            }
            se = Math.sqrt(se) / n;
        }
        double mean = 0;
        double minTr = Double.POSITIVE_INFINITY;
        for (double v : div) {
            mean += v / n;
            minTr = Math.min(minTr, v + d * inv);
        }
        return new DivergenceDiagnostics(liYau, mean, se, minTr);
    }

    /**
     * The score-FP residual (M5) r(x_i, t) = ∂_t s − [½g² ∇(∇·s) + g² ∇sᵀs + a(s + ∇sᵀx)], with the derivatives of
     * the class doc (all exact but ∇(∇·s) for score/noise; potentials see the class doc). Needs d ≤
     * {@link #EXACT_MAX_DIM}.
     */
    public Batch fpResidual(Batch x, double t) {
        checkTime(sde, t);
        x.requireDim(dim, "torchscript score input");
        if (dim > EXACT_MAX_DIM) {
            throw new InvalidInputException("the autograd FP residual needs d <= " + EXACT_MAX_DIM + ", got " + dim);
        }
        int n = x.size();
        int d = dim;
        Derivs c = derivatives(x.data(), n, t, true);
        double[] graddiv = new double[n * d];
        if (spec.output() != ScoreOutput.POTENTIAL) {
            double h = step(t, 1.0 / 3);
            double[] xs = new double[2 * d * n * d];
            for (int b = 0; b < 2 * d; b++) {
                System.arraycopy(x.data(), 0, xs, b * n * d, n * d);
            }
            for (int b = 0; b < d; b++) {
                for (int i = 0; i < n; i++) {
                    xs[((2 * b) * n + i) * d + b] += h;
                    xs[((2 * b + 1) * n + i) * d + b] -= h;
                }
            }
            double[] div = divergences(xs, 2 * d * n, t);
            for (int b = 0; b < d; b++) {
                for (int i = 0; i < n; i++) {
                    graddiv[i * d + b] = (div[2 * b * n + i] - div[(2 * b + 1) * n + i]) / (2 * h);
                }
            }
        } else {
            // Richardson: (4D(h) − D(2h))/3 cancels the O(h²) term of the second differences D
            double h = step(t, 1.0 / 6);
            double[] d1 = new double[n * d];
            double[] d2 = new double[n * d];
            potentialGradDiv(x.data(), n, t, h, d1);
            potentialGradDiv(x.data(), n, t, 2 * h, d2);
            for (int k = 0; k < n * d; k++) {
                graddiv[k] = (4 * d1[k] - d2[k]) / 3;
            }
        }
        double a = sde.driftRate(t);
        double g2 = sde.g2(t);
        Batch r = Batch.zeros(n, d);
        double[] xi = x.data();
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < d; b++) {
                double jts = 0;
                double jtx = 0;
                for (int k = 0; k < d; k++) {
                    double jkb = c.jac()[(i * d + k) * d + b];
                    jts += jkb * c.s()[i * d + k];
                    jtx += jkb * xi[i * d + k];
                }
                int o = i * d + b;
                r.set(i, b, c.dts()[o] - (0.5 * g2 * graddiv[o] + g2 * jts + a * (c.s()[o] + jtx)));
            }
        }
        return r;
    }

    /**
     * ∇(Δφ) = Σ_k ∂_j∂_k g_k with g = ∇φ exact: ∂_k∂_k g_k by the three-point second difference, ∂_j∂_k g_k (j ≠ k)
     * by the four-point mixed difference, step h (error O(h²) + O(ε/h²)).
     */
    private void potentialGradDiv(double[] x, int n, double t, double h, double[] out) {
        int d = dim;
        int blocks = Stencil.blocks(d);
        double[] xs = Stencil.points(x, n, d, h);
        int rows = blocks * n;
        double[] g = raw(xs, taus(t, rows), rows).grad();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = Stencil.gradDiv(g, n, d, i, j, h);
            }
        }
    }

    // ---------------------------------------------------------------- self-check

    /**
     * Runs at load: forward on 3 probe points at t = T/2 (output shape, dtype, finite values), a second forward that
     * must agree bit for bit (eval mode is deterministic), and one input gradient per point against a central
     * difference of forward: with y·v (score/noise) or φ, the directional derivative along a unit u by autograd must
     * agree with (f(x + hu) − f(x − hu))/(2h), h = ε^{1/3}σ, to 5% plus 10 ε|f|/h. The oneDNN defect (wrong or NaN
     * float32 Conv2d input gradients on AVX-512 CPUs unless DNNL_MAX_CPU_ISA=AVX) fails this check.
     */
    private void selfCheck() {
        int n = 3;
        int d = dim;
        double t = 0.5 * sde.T();
        RandomStream rng = RandomStream.of(0).derive("torchscript-selfcheck");
        double scale = Math.sqrt(sde.alpha(t) * sde.alpha(t) + sde.sigma2(t));
        double[] x = new double[n * d];
        double[] u = new double[n * d];
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = scale * rng.normal(i, j);
                u[i * d + j] = rng.normal(i, d + j);
                v[i * d + j] = rng.normal(i, 2 * d + j);
                q += u[i * d + j] * u[i * d + j];
            }
            for (int j = 0; j < d; j++) {
                u[i * d + j] /= Math.sqrt(q);
            }
        }
        double[] tau = taus(t, n);
        double[] y1;
        double[] y2;
        try (NDManager m = base.newSubManager()) {
            y1 = values(forward(array(m, x, new Shape(n, d)), array(m, tau, new Shape(n)), false));
            y2 = values(forward(array(m, x, new Shape(n, d)), array(m, tau, new Shape(n)), false));
        }
        for (double q : y1) {
            if (!Double.isFinite(q)) {
                throw new InvalidInputException("torchscript: " + name + " returns non-finite values at t = T/2 on points of scale "
                        + String.format(Locale.ROOT, "%.3g", scale));
            }
        }
        if (!Arrays.equals(y1, y2)) {
            throw new InvalidInputException("torchscript: " + name + " is not deterministic in eval mode (random operations in forward?)");
        }
        boolean pot = spec.output() == ScoreOutput.POTENTIAL;
        Raw r = backward(x, tau, n, pot ? null : v);
        double h = step(t, 1.0 / 3);
        double[] xp = x.clone();
        double[] xm = x.clone();
        for (int k = 0; k < x.length; k++) {
            xp[k] += h * u[k];
            xm[k] -= h * u[k];
        }
        double[] fp = forwardRows(xp, tau, n);
        double[] fm = forwardRows(xm, tau, n);
        for (int i = 0; i < n; i++) {
            double ad = 0;
            for (int j = 0; j < d; j++) {
                ad += r.grad()[i * d + j] * u[i * d + j];
            }
            double vp;
            double vm;
            if (pot) {
                vp = fp[i];
                vm = fm[i];
            } else {
                vp = 0;
                vm = 0;
                for (int j = 0; j < d; j++) {
                    vp += v[i * d + j] * fp[i * d + j];
                    vm += v[i * d + j] * fm[i * d + j];
                }
            }
            double fd = (vp - vm) / (2 * h);
            double tol = 0.05 * Math.max(Math.abs(ad), Math.abs(fd)) + 10 * precision.eps() * (Math.abs(vp) + Math.abs(vm)) / h;
            if (!Double.isFinite(ad) || !(Math.abs(ad - fd) <= tol)) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "torchscript: the input gradient of %s disagrees with a finite difference (autograd %.6g, difference %.6g);"
                                + " on CPUs with AVX-512 libtorch's float32 convolution backward is wrong unless DNNL_MAX_CPU_ISA=AVX"
                                + " is set before Java starts (the pdediff launcher sets it), or use float64", name, ad, fd));
            }
        }
    }

    /** Forward of n rows as one call (no chunking), for the self-check. */
    private double[] forwardRows(double[] x, double[] tau, int n) {
        try (NDManager m = base.newSubManager()) {
            return values(forward(array(m, x, new Shape(n, dim)), array(m, tau, new Shape(n)), false));
        }
    }

    /** A score of dimension d ≤ {@link #EXACT_MAX_DIM}: it advertises its Jacobian and divergence. */
    static final class Small extends TorchScriptScore implements WithJacobian {
        private Small(TorchScriptSpec spec, Sde sde, int dim, Precision precision, Model model) {
            super(spec, sde, dim, precision, model);
        }
    }
}
