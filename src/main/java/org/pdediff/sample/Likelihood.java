package org.pdediff.sample;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.WithDivergence;
import org.pdediff.score.WithJacobian;
import org.pdediff.sde.Sde;

/**
 * Log-likelihoods through the probability-flow ODE (M7) and the instantaneous change of variables (Chen et al. 2018;
 * [S] Appendix D.2). Along dx/dt = F(x, t) = −a(t)x − ½g(t)²s(x, t) the log-density obeys d log p_t(x(t))/dt = −∇·F,
 * so integrating the augmented system
 * <pre>
 *   dx/dt = F(x, t),   dℓ/dt = ∇·F(x, t) = −d·a(t) − ½g(t)²·∇·s(x, t),   x(ε) = x₀, ℓ(ε) = 0,
 * </pre>
 * forwards from ε to T gives log p_ε(x₀) = log π(x(T)) + ℓ(T), π the prior N(0, v_T I) (the model's density: exact
 * when s is the true score and p_T = π). The system is integrated by the {@link RungeKutta} engine with an embedded
 * pair (default Dormand–Prince 5(4)); by default the error norm is the largest RMS over points of the scaled local
 * errors of (x_i, ℓ_i), so every point meets the tolerance on its own ({@link ErrorControl#PER_POINT});
 * {@link ErrorControl#BATCH_RMS} is the RMS over the whole flattened batch, the convention of score_sde's
 * {@code solve_ivp} call and of torchdiffeq, cheaper but controlling only the batch average. Steps are shared by the
 * batch, so a point's result depends on its batch only below the tolerance.
 *
 * <p>Trace: {@link TraceEstimator}. With Hutchinson and K probes, each point carries K accumulators ℓ_{i,k}, each with
 * its own Rademacher probe v_{i,k} fixed for the whole solve (from the stream (seed, "hutchinson", point i, k·d + j));
 * since x(t) does not depend on the probes, this is K independent solves sharing one trajectory. The estimate is the
 * mean over k, the per-point variance the sample variance over k, and the standard error sd/√K.
 *
 * <p>Immutable and thread-safe (each call allocates its own state). Built with {@link #builder()}, which validates.
 *
 * @param eps          the start time ε of the solve
 * @param trace        how ∇·s is computed (exact or Hutchinson)
 * @param rtol         relative tolerance of the step control
 * @param atol         absolute tolerance of the step control
 * @param tableau      the embedded Runge–Kutta pair
 * @param maxSteps     cap on accepted plus rejected steps
 * @param seed         seed of the Hutchinson probes
 * @param listener     progress of the solve
 * @param errorControl which local errors the step control bounds
 */
public record Likelihood(double eps, TraceEstimator trace, double rtol, double atol, ButcherTableau tableau, int maxSteps,
                         long seed, ProgressListener listener, ErrorControl errorControl) {
    /** Which local errors the step control bounds. */
    public enum ErrorControl {
        /** The largest RMS over points of (x_i, ℓ_i): every point meets the tolerance (default). */
        PER_POINT,
        /** The RMS over all components of the batch (score_sde, scipy's solve_ivp on the flattened batch, torchdiffeq). */
        BATCH_RMS
    }

    /** Validates the settings (one line naming the bad one): ε &gt; 0, an adaptive pair, positive tolerances and cap. */
    public Likelihood {
        if (!(eps > 0)) {
            throw new InvalidInputException("eps must be > 0, got " + eps);
        }
        AdaptiveStepBuilder.requireValidStepControl(rtol, atol, maxSteps);
        if (!tableau.adaptive()) {
            throw new InvalidInputException("the likelihood needs an adaptive pair (dp45 or bs23), got " + tableau.name());
        }
        listener = listener == null ? ProgressListener.NONE : listener;
        java.util.Objects.requireNonNull(trace, "trace");
        java.util.Objects.requireNonNull(errorControl, "errorControl");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fails with one line naming the fix when the trace cannot be computed for this score. */
    public static void requireTraceAvailable(ScoreModel score, TraceEstimator trace) {
        if (trace.kind() == TraceEstimator.Kind.EXACT && !(score instanceof WithDivergence)) {
            throw new InvalidInputException("score " + score.describe() + " has no exact divergence or Jacobian;"
                    + " use --trace hutchinson:probes=K");
        }
    }

    /**
     * log p_ε of each row of {@code x} (not modified).
     *
     * @param firstPoint global index of the first row (the Hutchinson probes of row i come from stream firstPoint + i,
     *                   and failure messages name global indices)
     * @throws NumericalFailureException naming the point and the time if the state becomes non-finite
     */
    public LikelihoodResult evaluate(ScoreModel score, Batch x, long firstPoint) {
        Sde sde = score.sde();
        if (x.dim() != score.dim()) {
            throw new InvalidInputException("points have dimension " + x.dim() + " but the score has dimension " + score.dim());
        }
        if (!(eps > 0) || !(eps < sde.T())) {
            throw new InvalidInputException("eps must satisfy 0 < eps < T=" + sde.T() + ", got " + eps);
        }
        int firstBad = x.firstNonFinite();
        if (firstBad >= 0) {
            throw new InvalidInputException("point " + (firstPoint + firstBad / x.dim()) + " is not finite");
        }
        requireTraceAvailable(score, trace);
        int n = x.size();
        int d = x.dim();
        int kp = trace.probes();
        int nd = n * d;
        double[] y = new double[nd + n * kp];
        System.arraycopy(x.data(), 0, y, 0, nd);
        Field field = new Field(score, n, d, kp, probes(n, d, firstPoint));
        RungeKutta rk = new RungeKutta(tableau, field, y.length);
        RungeKutta.ErrorNorm norm = errorControl == ErrorControl.BATCH_RMS ? RungeKutta.ErrorNorm.RMS
                : RungeKutta.ErrorNorm.maxOverGroups(n, q -> q < nd ? q / d : (q - nd) / kp);
        double T = sde.T();
        RungeKutta.Counts c = rk.integrate(eps, y, new double[] {T}, rtol, atol, maxSteps, norm, (k, t, h, state, hit) -> {
            checkFinite(state, n, d, kp, firstPoint, t);
            listener.progress(Math.round(1000 * (t - eps) / (T - eps)), 1000, "t=" + ProgressHandler.fmt(t) + " h=" + ProgressHandler.fmt(h));
        }, "likelihood (" + tableau.name() + ")");
        Batch xT = Batch.wrap(java.util.Arrays.copyOf(y, nd), n, d);
        double[] prior = sde.priorLogDensity(xT);
        double[] logp = new double[n];
        double[] se = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0;
            for (int k = 0; k < kp; k++) {
                m += y[nd + i * kp + k];
            }
            m /= kp;
            double v = 0;
            for (int k = 0; k < kp; k++) {
                double e = y[nd + i * kp + k] - m;
                v += e * e;
            }
            logp[i] = prior[i] + m;
            se[i] = trace.kind() == TraceEstimator.Kind.EXACT ? 0 : kp > 1 ? Math.sqrt(v / (kp - 1) / kp) : Double.NaN;
            if (!Double.isFinite(logp[i])) {
                throw new NumericalFailureException("likelihood of point " + (firstPoint + i) + " is " + logp[i] + " at t=T");
            }
        }
        return new LikelihoodResult(logp, se, prior, d, field.nfe, c.accepted(), c.rejected());
    }

    /**
     * Whether Hutchinson probes are contracted with the exact Jacobian (d ≤ {@link #JACOBIAN_PROBE_MAX_DIM}, where the
     * d × d Jacobian costs about as much as d score evaluations) rather than by central differences of the score.
     */
    static boolean jacobianProbes(ScoreModel score, int d) {
        return score instanceof WithJacobian && d <= JACOBIAN_PROBE_MAX_DIM;
    }

    /** Largest dimension at which Hutchinson probes use the exact Jacobian. */
    static final int JACOBIAN_PROBE_MAX_DIM = 16;

    /** Rademacher probes v_{i,k,j} = ±1 (row-major n × K × d), or null for the exact trace. */
    private double[] probes(int n, int d, long firstPoint) {
        if (trace.kind() == TraceEstimator.Kind.EXACT) {
            return null;
        }
        int kp = trace.probes();
        double[] v = new double[n * kp * d];
        RandomStream rs = RandomStream.of(seed).derive("hutchinson");
        for (int i = 0; i < n; i++) {
            long p = rs.particle(firstPoint + i);
            for (int q = 0; q < kp * d; q++) {
                v[i * kp * d + q] = RandomStream.uniformAt(p, q) < 0.5 ? -1 : 1;
            }
        }
        return v;
    }

    private static void checkFinite(double[] y, int n, int d, int kp, long firstPoint, double t) {
        int nd = n * d;
        for (int q = 0; q < y.length; q++) {
            if (!Double.isFinite(y[q])) {
                int i = q < nd ? q / d : (q - nd) / kp;
                throw new NumericalFailureException("likelihood of point " + (firstPoint + i) + " became non-finite at t="
                        + ProgressHandler.fmt(t) + " (" + (q < nd ? "position" : "log-density") + "); try a larger eps");
            }
        }
    }

    /** The augmented vector field [F(x, t), ∇·F(x, t)] over the flat state [x (n × d) | ℓ (n × K)]. */
    private final class Field implements OdeSystem {
        /** Rows per parallel evaluation chunk. */
        static final int CHUNK = 512;
        private final ScoreModel score;
        private final int n;
        private final int d;
        private final int kp;
        private final double[] v;
        private final Batch xb;
        private final Batch sb;
        private final double[] div;
        private final double[] jac;
        private final Batch plus;
        private final Batch minus;
        private final Batch sPlus;
        private final Batch sMinus;
        long nfe;

        Field(ScoreModel score, int n, int d, int kp, double[] v) {
            this.score = score;
            this.n = n;
            this.d = d;
            this.kp = kp;
            this.v = v;
            this.xb = Batch.zeros(n, d);
            this.sb = Batch.zeros(n, d);
            this.div = new double[n];
            boolean useJac = v != null ? jacobianProbes(score, d) : !(score instanceof WithDivergence);
            this.jac = useJac ? new double[n * d * d] : null;
            boolean fd = v != null && !jacobianProbes(score, d);
            this.plus = fd ? Batch.zeros(n, d) : null;
            this.minus = fd ? Batch.zeros(n, d) : null;
            this.sPlus = fd ? Batch.zeros(n, d) : null;
            this.sMinus = fd ? Batch.zeros(n, d) : null;
        }

        /**
         * Evaluates the score (and, for the exact trace, the divergence) on fixed chunks of {@link #CHUNK} rows in
         * parallel: every row is computed by the same call shape whatever the thread count, so results do not depend
         * on it.
         */
        private void scoreAndDivergence(double t) {
            int chunks = (n + CHUNK - 1) / CHUNK;
            boolean wantDiv = v == null && jac == null;
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(ch -> {
                int from = ch * CHUNK;
                int to = Math.min(n, from + CHUNK);
                Batch xc = Batch.wrap(java.util.Arrays.copyOfRange(xb.data(), from * d, to * d), to - from, d);
                Batch sc = Batch.zeros(to - from, d);
                score.score(xc, t, sc);
                System.arraycopy(sc.data(), 0, sb.data(), from * d, (to - from) * d);
                if (wantDiv) {
                    double[] dc = new double[to - from];
                    ((WithDivergence) score).divergence(xc, t, dc);
                    System.arraycopy(dc, 0, div, from, to - from);
                }
            });
        }

        @Override
        public void derivative(double t, double[] y, double[] out) {
            nfe++;
            int nd = n * d;
            double[] xs = xb.data();
            System.arraycopy(y, 0, xs, 0, nd);
            scoreAndDivergence(t);
            Sde sde = score.sde();
            double a = sde.driftRate(t);
            double c = 0.5 * sde.g2(t);
            double[] s = sb.data();
            for (int q = 0; q < nd; q++) {
                out[q] = -(a * xs[q] + c * s[q]);
            }
            double base = -d * a;
            if (v == null) {
                if (jac != null) {
                    ((WithJacobian) score).jacobian(xb, t, jac);
                    for (int i = 0; i < n; i++) {
                        double tr = 0;
                        for (int j = 0; j < d; j++) {
                            tr += jac[i * d * d + j * d + j];
                        }
                        div[i] = tr;
                    }
                }
                for (int i = 0; i < n; i++) {
                    out[nd + i] = base - c * div[i];
                }
                return;
            }
            if (jac != null) {
                ((WithJacobian) score).jacobian(xb, t, jac);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < kp; k++) {
                        int vo = (i * kp + k) * d;
                        double q = 0;
                        for (int r = 0; r < d; r++) {
                            double jr = 0;
                            for (int col = 0; col < d; col++) {
                                jr += jac[i * d * d + r * d + col] * v[vo + col];
                            }
                            q += v[vo + r] * jr;
                        }
                        out[nd + i * kp + k] = base - c * q;
                    }
                }
                return;
            }
            // central difference of s along each probe: vᵀ∇s v ≈ vᵀ(s(x + δv) − s(x − δv))/(2δ), δ = 1e-4·σ(t)
            // (the score varies on the scale σ(t); MATH.md §7: second order, rounding balanced near 1e-4·scale)
            double delta = 1e-4 * Math.max(Math.sqrt(sde.sigma2(t)), 1e-12);
            for (int k = 0; k < kp; k++) {
                double[] pl = plus.data();
                double[] mi = minus.data();
                for (int i = 0; i < n; i++) {
                    int vo = (i * kp + k) * d;
                    for (int j = 0; j < d; j++) {
                        pl[i * d + j] = xs[i * d + j] + delta * v[vo + j];
                        mi[i * d + j] = xs[i * d + j] - delta * v[vo + j];
                    }
                }
                score.score(plus, t, sPlus);
                score.score(minus, t, sMinus);
                double[] sp = sPlus.data();
                double[] sm = sMinus.data();
                for (int i = 0; i < n; i++) {
                    int vo = (i * kp + k) * d;
                    double q = 0;
                    for (int j = 0; j < d; j++) {
                        q += v[vo + j] * (sp[i * d + j] - sm[i * d + j]);
                    }
                    out[nd + i * kp + k] = base - c * q / (2 * delta);
                }
            }
        }
    }

    /** Builder with the defaults of score_sde's likelihood: ε = 1e-5, rtol = atol = 1e-5, dp45, exact trace. */
    public static final class Builder extends AdaptiveStepBuilder<Builder> {
        private double eps = 1e-5;
        private TraceEstimator trace = TraceEstimator.EXACT;
        private ButcherTableau tableau = ButcherTableau.DORMAND_PRINCE_54;
        private long seed = 0;
        private ProgressListener listener = ProgressListener.NONE;
        private ErrorControl errorControl = ErrorControl.PER_POINT;

        @Override
        Builder self() {
            return this;
        }

        /** Per-point (default) or batch-RMS step control. */
        public Builder errorControl(ErrorControl v) {
            errorControl = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Builder trace(TraceEstimator v) {
            trace = v;
            return this;
        }

        /** The embedded pair (dp45 or bs23). */
        public Builder tableau(ButcherTableau v) {
            tableau = v;
            return this;
        }

        /** Seed of the Hutchinson probes. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder listener(ProgressListener v) {
            listener = v == null ? ProgressListener.NONE : v;
            return this;
        }

        public Likelihood build() {
            return new Likelihood(eps, trace, rtol, atol, tableau, maxSteps, seed, listener, errorControl);
        }
    }
}
