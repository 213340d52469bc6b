package org.pdediff.train;

import ai.djl.ndarray.types.DataType;
import org.pdediff.nn.MlpWeights;
import org.pdediff.nn.Precision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.RandomStream;
import org.pdediff.core.Version;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * Trains a neural score by continuous-time denoising score matching [S], optionally regularised by the FP residual
 * (P4, P3), on pdediff's own MLP engine ({@link org.pdediff.nn.MlpEngine}).
 *
 * <p>Loss of one step, with x₀ drawn from the data (with replacement), t from the time law on [ε_train, T], fresh
 * ε ~ N(0, I) and x_t = α(t)x₀ + σ(t)ε (M1):
 * <pre>  L = mean_i λ(t_i)/σ(t_i)² · |σ(t_i) s_θ(x_t, t_i) + ε_i|²  +  w · mean_j weight(t_j) |r_θ(x_j, t_j)|^m</pre>
 * (the first term is λ|s_θ + ε/σ|², whose minimiser over all functions is the score of p_t; the second the FP
 * penalty with the exact residual r of {@link ScoreNet}: M4 for potentials, M5 for score and noise outputs, its x- and
 * t-derivatives propagated as Taylor channels, not differenced). The parameter gradient is exact: a hand-derived
 * reverse pass of the channel recursion (see {@link org.pdediff.nn.MlpEngine}).
 *
 * <p>Optimiser: Adam (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) with bias correction, the learning rate of
 * {@link TrainConfig#learningRate(long)}, global-norm clipping, and an EMA e ← δe + (1 − δ)w of the weights with
 * δ = min(decay, (1 + k)/(10 + k)). Master weights, Adam moments and the EMA are double arrays; with float32 training
 * the master weights are rounded to float after each update, so a float32 checkpoint holds exactly the trained
 * weights. Every random number is a counter-based draw keyed by (seed, purpose, step, row).
 *
 * <p>Reproducibility: bit-exact. The engine's kernels use a fixed order of fused multiply–adds, rows are processed in
 * fixed blocks of {@link org.pdediff.nn.MlpEngine#BLOCK} and block gradients are added in block order, so two
 * trainings with one seed give the same bits, however the batch is split into blocks (tested). The kernels use only
 * IEEE-exact operations (fused multiply–add, add, multiply, divide) in a fixed order, so other CPUs should agree as
 * well; that is not tested here. The former DJL/libtorch path was only reproducible to about 10⁻⁴ (occasional last-bit differences in
 * libtorch's CPU backward).
 */
public final class Trainer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;
    /** Largest dimension for the score-FP (M5) penalty, whose stencil has 1 + 2d + 2d(d − 1) + 2 points. */
    public static final int MAX_M5_DIM = 10;

    private final TrainConfig cfg;
    private final DataSet data;
    private final Sde sde;
    private final Architecture arch;
    private final Preconditioning pre;
    private final ScoreNet net;
    private final RandomStream root;
    private final double[] boxLo;
    private final double[] boxHi;
    private final ScoreModel exact;

    public Trainer(TrainConfig cfg, DataSet data, Sde sde) {
        this.cfg = cfg;
        this.data = data;
        this.sde = sde;
        if (data.size() < 1) {
            throw new InvalidInputException("training needs at least one data point");
        }
        data.points().requireFinite("training data " + data.name());
        if (!(cfg.epsTrain() < sde.T())) {
            throw new InvalidInputException("eps-train " + cfg.epsTrain() + " must be < T = " + sde.T());
        }
        if (cfg.fpWeight() > 0 && !(cfg.fpTmin() < sde.T())) {
            throw new InvalidInputException("FP t-min " + cfg.fpTmin() + " must be < T = " + sde.T());
        }
        if (cfg.fpWeight() > 0 && cfg.param() != Parameterisation.POTENTIAL && data.dim() > MAX_M5_DIM) {
            throw new InvalidInputException("the score-FP penalty (M5) needs 2d² + 3 forward passes per point, too many for d = "
                    + data.dim() + " (limit " + MAX_M5_DIM + "); use --param potential (its M4 penalty needs 2d + 3)");
        }
        if (cfg.freshData() && !DataSets.isLaw(data.name())) {
            throw new InvalidInputException("fresh data draws need a data set drawn from a law (blob, moons, checker, ...), not '"
                    + data.name() + "'");
        }
        this.arch = cfg.architecture(data.dim());
        this.pre = arch.skip() == Skip.COVARIANCE ? Preconditioning.withCovariance(data.points()) : Preconditioning.of(data.points());
        this.net = new ScoreNet(arch, pre, sde, cfg.dtype() == DataType.FLOAT32 ? Precision.FLOAT32 : Precision.FLOAT64);
        this.root = RandomStream.of(cfg.seed());
        int d = data.dim();
        boxLo = new double[d];
        boxHi = new double[d];
        for (int j = 0; j < d; j++) {
            if (Double.isNaN(cfg.fpBox())) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < data.size(); i++) {
                    lo = Math.min(lo, data.points().get(i, j));
                    hi = Math.max(hi, data.points().get(i, j));
                }
                double c = 0.5 * (lo + hi);
                double half = Math.max(0.6 * (hi - lo), 1e-3);
                boxLo[j] = c - half;
                boxHi[j] = c + half;
            } else {
                boxLo[j] = -cfg.fpBox();
                boxHi[j] = cfg.fpBox();
            }
        }
        this.exact = data.law().<ScoreModel>map(l -> new GaussianMixtureScore(sde, l)).orElse(null);
    }

    /** The engine-backed network of this training (for tests and diagnostics). */
    ScoreNet net() {
        return net;
    }

    public Architecture architecture() {
        return arch;
    }

    public Preconditioning preconditioning() {
        return pre;
    }

    /**
     * The initial weights: every weight and bias uniform on ±1/√fan_in (PyTorch's Linear default), from the
     * counter-based stream "init" of the seed.
     */
    public double[] initialParameters() {
        double[] w = new double[arch.parameterCount()];
        RandomStream init = root.derive("init");
        int fanFirst = arch.dim() + arch.embedding();
        int idx = 0;
        for (Architecture.Tensor t : arch.tensors()) {
            int fanIn = t.name().startsWith("W0") || t.name().equals("b0") ? fanFirst : arch.width();
            double bound = 1 / Math.sqrt(fanIn);
            long p = init.particle(idx++);
            for (int k = 0; k < t.size(); k++) {
                w[t.offset() + k] = round(bound * (2 * RandomStream.uniformAt(p, k) - 1));
            }
        }
        return w;
    }

    private double round(double v) {
        return cfg.dtype() == DataType.FLOAT32 ? (float) v : v;
    }

    /** Loss parts of one step; {@code gradient} is null unless asked for. */
    public record StepLoss(double total, double dsm, double fp, double[] gradient) {
    }

    /** The training time from a uniform u: ε + (T − ε)·B. */
    private double time(double u) {
        return cfg.epsTrain() + (sde.T() - cfg.epsTrain()) * cfg.timeLaw().quantile(u);
    }

    /**
     * The loss of step {@code step} (its batch, times and noise are fixed by the seed and the step) at parameters
     * {@code w}, with its parameter gradient when asked. Exposed for gradient checks.
     */
    public StepLoss loss(double[] w, long step, boolean gradient) {
        int n = cfg.batch();
        int d = arch.dim();
        boolean fresh = cfg.freshData();
        double[] x0 = fresh ? freshDraw("train:fresh", step, n) : data.points().data();
        long pi = root.derive("train:index").particle(step);
        long pt = root.derive("train:time").particle(step);
        long pe = root.derive("train:noise").particle(step);
        double[] xt = new double[n * d];
        double[] eps = new double[n * d];
        double[] ts = new double[n];
        double[] sig = new double[n];
        double[] coef = new double[n];
        for (int i = 0; i < n; i++) {
            int idx = fresh ? i : (int) Math.min(data.size() - 1, (long) Math.floor(RandomStream.uniformAt(pi, i) * data.size()));
            double t = time(RandomStream.uniformAt(pt, i));
            double a = sde.alpha(t);
            double s2 = sde.sigma2(t);
            double s = Math.sqrt(s2);
            ts[i] = t;
            sig[i] = s;
            coef[i] = cfg.weighting().at(sde, t) / s2;
            for (int j = 0; j < d; j++) {
                double e = RandomStream.normalAt(pe, (long) i * d + j);
                eps[i * d + j] = e;
                xt[i * d + j] = a * x0[idx * d + j] + s * e;
            }
        }
        boolean withFp = cfg.fpWeight() > 0;
        MlpWeights mw = net.weights(w);
        double[] g = gradient ? new double[arch.parameterCount()] : null;
        double dsmValue = net.dsm(mw, xt, ts, sig, eps, coef, n, g);
        double fpValue = 0;
        if (withFp) {
            int nf = cfg.fpBatch();
            double[] fx = new double[nf * d];
            double[] ft = new double[nf];
            fpPoints(step, fx, ft);
            double[] fw = new double[nf];
            for (int i = 0; i < nf; i++) {
                fw[i] = cfg.fpWeighting().at(sde, ft[i]);
            }
            fpValue = net.fpPenalty(mw, fx, ft, fw, cfg.fpPower(), nf, cfg.fpWeight(), g);
        }
        return new StepLoss(dsmValue + cfg.fpWeight() * fpValue, dsmValue, fpValue, g);
    }

    /** {@code n} fresh points of the data set's law for one step, from a seed keyed by (training seed, purpose, step). */
    private double[] freshDraw(String purpose, long step, int n) {
        long seed = root.derive(purpose).particle(step);
        return DataSets.redraw(data, n, seed).points().data();
    }

    /** The FP collocation points of a step (perturbed data or uniform in the box), t uniform on [fp t-min, T]. */
    private void fpPoints(long step, double[] fx, double[] ft) {
        int d = arch.dim();
        int n = ft.length;
        long pi = root.derive("fp:index").particle(step);
        long pt = root.derive("fp:time").particle(step);
        long pe = root.derive("fp:noise").particle(step);
        boolean fresh = cfg.freshData() && cfg.fpPoints() == FpPoints.PERTURBED;
        double[] x0 = fresh ? freshDraw("fp:fresh", step, n) : data.points().data();
        for (int i = 0; i < n; i++) {
            double t = cfg.fpTmin() + (sde.T() - cfg.fpTmin()) * RandomStream.uniformAt(pt, i);
            ft[i] = t;
            if (cfg.fpPoints() == FpPoints.PERTURBED) {
                int idx = fresh ? i : (int) Math.min(data.size() - 1, (long) Math.floor(RandomStream.uniformAt(pi, i) * data.size()));
                double a = sde.alpha(t);
                double s = sde.sigma(t);
                for (int j = 0; j < d; j++) {
                    fx[i * d + j] = a * x0[idx * d + j] + s * RandomStream.normalAt(pe, (long) i * d + j);
                }
            } else {
                for (int j = 0; j < d; j++) {
                    fx[i * d + j] = boxLo[j] + (boxHi[j] - boxLo[j]) * RandomStream.uniformAt(pi, (long) i * d + j);
                }
            }
        }
    }

    /** One row of the training log. */
    public record LogRow(long step, double lr, double loss, double dsm, double fp, double gradNorm, double valDsm,
                         double valRelErr, double elapsedSeconds) {
    }

    /** The outcome of {@link #train}. */
    public record Result(Checkpoint checkpoint, List<LogRow> log, double stepsPerSecond, double seconds, TrainState state) {
        /** The trained score (inference weights, float64 evaluation). */
        public NeuralScore score() {
            return NeuralScore.of(checkpoint);
        }
    }

    /** The fixed held-out validation set: points x_t, noise ε, times t (from the seed's "val" streams). */
    private record Validation(Batch xt, double[] eps, double[] t) {
    }

    private Validation validationSet() {
        int n = cfg.validationSize();
        int d = arch.dim();
        long pi = root.derive("val:index").particle(0);
        long pt = root.derive("val:time").particle(0);
        long pe = root.derive("val:noise").particle(0);
        Batch xt = Batch.zeros(n, d);
        double[] eps = new double[n * d];
        double[] ts = new double[n];
        for (int i = 0; i < n; i++) {
            int idx = (int) Math.min(data.size() - 1, (long) Math.floor(RandomStream.uniformAt(pi, i) * data.size()));
            double t = time(RandomStream.uniformAt(pt, i));
            ts[i] = t;
            for (int j = 0; j < d; j++) {
                eps[i * d + j] = RandomStream.normalAt(pe, (long) i * d + j);
                xt.set(i, j, sde.alpha(t) * data.points().get(idx, j) + sde.sigma(t) * eps[i * d + j]);
            }
        }
        return new Validation(xt, eps, ts);
    }

    /** Times at which validation compares with the exact score: (0.1, 0.25, 0.5, 0.75, 1)·T. */
    static final double[] VALIDATION_FRACTIONS = {0.1, 0.25, 0.5, 0.75, 1.0};

    /** σ²-weighted DSM of a score on the validation set, and the relative L² error against the exact score (or NaN). */
    private double[] validate(NeuralScore s, Validation v) {
        int d = arch.dim();
        double sum = 0;
        double[] sc = s.scoreRows(v.xt().data(), v.t(), v.t().length);
        for (int i = 0; i < v.t().length; i++) {
            double sig = sde.sigma(v.t()[i]);
            double lam = cfg.weighting().at(sde, v.t()[i]) / (sig * sig);
            double q = 0;
            for (int j = 0; j < d; j++) {
                double e = sig * sc[i * d + j] + v.eps()[i * d + j];
                q += e * e;
            }
            sum += lam * q;
        }
        double rel = Double.NaN;
        if (exact != null) {
            double[] times = new double[VALIDATION_FRACTIONS.length];
            for (int k = 0; k < times.length; k++) {
                times[k] = VALIDATION_FRACTIONS[k] * sde.T();
            }
            double[] errs = ScoreErrors.relativeL2(s, exact, data.points(), times,
                    Math.min(cfg.validationSize(), 256), root.derive("val:score"));
            rel = 0;
            for (double e : errs) {
                rel += e / errs.length;
            }
        }
        return new double[] {sum / v.t().length, rel};
    }

    /** Runs the whole training and returns the checkpoint (not yet written), the log and the speed. */
    public Result train(ProgressListener listener) {
        return train(listener, null);
    }

    /**
     * What a resumed training must share with the one it continues: data, SDE, architecture and every training
     * option except the number of steps and the validation settings (which do not change the trajectory).
     */
    public Map<String, Object> fingerprint() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("data_hash", data.hash());
        f.put("sde", sde.spec());
        Map<String, Object> c = new LinkedHashMap<>(cfg.toMap());
        c.remove("steps");
        c.remove("validate_every");
        c.remove("validation_size");
        if (!cfg.freshData()) {
            c.remove("fresh_data"); // absent from states written before the option existed
        }
        c.forEach((k, v) -> f.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v)));
        return f;
    }

    /**
     * Trains from step {@code from.step()} (or from scratch when {@code from} is null) up to {@link TrainConfig#steps()}.
     * A resumed training gives the same bits as one that ran through: every draw is keyed by (seed, step), and the
     * state holds the optimiser's float64 master weights, moments and EMA.
     */
    public Result train(ProgressListener listener, TrainState from) {
        long start = System.nanoTime();
        int np = arch.parameterCount();
        double[] w;
        double[] mom;
        double[] vel;
        double[] ema;
        long first = 0;
        if (from == null) {
            w = initialParameters();
            mom = new double[np];
            vel = new double[np];
            ema = w.clone();
        } else {
            if (from.params().length != np) {
                throw new InvalidInputException("cannot resume: the state has " + from.params().length
                        + " parameters, this architecture has " + np);
            }
            Map<String, Object> mine = fingerprint();
            for (String k : mine.keySet()) {
                Object theirs = from.fingerprint().get(k);
                if (!String.valueOf(mine.get(k)).equals(String.valueOf(theirs))) {
                    throw new InvalidInputException("cannot resume: " + k + " differs (model was trained with " + theirs
                            + ", this run has " + mine.get(k) + ")");
                }
            }
            if (from.step() >= cfg.steps()) {
                throw new InvalidInputException("cannot resume: the model has already done " + from.step()
                        + " steps; ask for more with --steps (the total)");
            }
            first = from.step();
            w = from.params();
            mom = from.m();
            vel = from.v();
            ema = from.ema();
        }
        boolean useEma = cfg.emaDecay() > 0;
        Validation val = validationSet();
        List<LogRow> log = new ArrayList<>();
        double accLoss = 0;
        double accDsm = 0;
        double accFp = 0;
        double accNorm = 0;
        int accN = 0;
        StepLoss last = null;
        for (long step = first; step < cfg.steps(); step++) {
            StepLoss sl = loss(w, step, true);
            if (!Double.isFinite(sl.total()) || !finite(sl.gradient())) {
                throw new NumericalFailureException("training diverged at step " + step + " (loss " + sl.total()
                        + (Double.isFinite(sl.total()) ? ", non-finite gradient" : "")
                        + "); lower --lr, raise --eps-train or --fp-tmin, or lower --fp-weight");
            }
            double[] g = sl.gradient();
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double clip = cfg.gradClip() > 0 && norm > cfg.gradClip() ? cfg.gradClip() / norm : 1;
            double lr = cfg.learningRate(step);
            long stageStart = cfg.freshAdamPerStage() ? cfg.stageStart(step) : 0;
            if (cfg.freshAdamPerStage() && step == stageStart && step > 0) {
                java.util.Arrays.fill(mom, 0); // a fresh Adam at each learning-rate stage (P3)
                java.util.Arrays.fill(vel, 0);
            }
            double bc1 = 1 - StrictMath.pow(BETA1, step - stageStart + 1);
            double bc2 = 1 - StrictMath.pow(BETA2, step - stageStart + 1);
            double decay = Math.min(cfg.emaDecay(), (1.0 + step) / (10.0 + step));
            for (int k = 0; k < np; k++) {
                double gk = g[k] * clip;
                mom[k] = BETA1 * mom[k] + (1 - BETA1) * gk;
                vel[k] = BETA2 * vel[k] + (1 - BETA2) * gk * gk;
                w[k] = round(w[k] - lr * (mom[k] / bc1) / (Math.sqrt(vel[k] / bc2) + ADAM_EPS));
                ema[k] = useEma ? decay * ema[k] + (1 - decay) * w[k] : w[k];
            }
            accLoss += sl.total();
            accDsm += sl.dsm();
            accFp += sl.fp();
            accNorm += norm;
            accN++;
            last = sl;
            boolean logNow = (step + 1) % cfg.validateEvery() == 0 || step + 1 == cfg.steps();
            if (logNow) {
                double[] vr = validate(new NeuralScore(arch, pre, sde, roundAll(ema), DataType.FLOAT64), val);
                log.add(new LogRow(step + 1, lr, accLoss / accN, accDsm / accN, accFp / accN, accNorm / accN, vr[0], vr[1],
                        (System.nanoTime() - start) * 1e-9));
                accLoss = accDsm = accFp = accNorm = 0;
                accN = 0;
            }
            listener.progress(step + 1, cfg.steps(), String.format(java.util.Locale.ROOT, "loss=%.4g dsm=%.4g fp=%.3g",
                    sl.total(), sl.dsm(), sl.fp()));
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        LogRow fin = log.get(log.size() - 1);
        Map<String, Object> losses = new LinkedHashMap<>();
        losses.put("final_loss", last.total());
        losses.put("final_dsm", last.dsm());
        losses.put("final_fp", last.fp());
        losses.put("val_dsm", fin.valDsm());
        losses.put("val_rel_err", Double.isNaN(fin.valRelErr()) ? null : fin.valRelErr());
        losses.put("recomputed_steps", 0); // kept for readers of older checkpoints: the DJL path recomputed steps
        Checkpoint c = new Checkpoint(arch, pre, sde.spec(), cfg.dtype() == DataType.FLOAT32 ? "float32" : "float64",
                data.spec(), data.hash(), data.size(), cfg.seed(), cfg.steps(), cfg.toMap(), losses, Instant.now().toString(),
                Version.VALUE, roundAll(ema), useEma ? w.clone() : null);
        TrainState state = new TrainState(cfg.steps(), w, ema, mom, vel, fingerprint());
        return new Result(c, log, (cfg.steps() - first) / seconds, seconds, state);
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private double[] roundAll(double[] v) {
        double[] out = v.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] = round(out[k]);
        }
        return out;
    }
}
