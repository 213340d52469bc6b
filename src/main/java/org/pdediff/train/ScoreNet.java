package org.pdediff.train;

import java.util.HashMap;
import java.util.Map;
import org.pdediff.nn.Channels;
import org.pdediff.nn.MlpEngine;
import org.pdediff.nn.MlpShape;
import org.pdediff.nn.MlpWeights;
import org.pdediff.nn.Precision;
import org.pdediff.sde.Sde;

/**
 * A neural score on the {@link MlpEngine}: the network N of an {@link Architecture} fed with [u, e(t)],
 * u = c_in(t)(x − α(t)μ) ({@link Preconditioning}), and the losses of training with their exact parameter gradients.
 *
 * <p><b>Derivatives of the inputs.</b> With the forward SDE dX = −a(t)X dt + g(t) dW (M1): α' = −aα,
 * (σ²)' = g² − 2aσ², c_in' = −½c_in³(2αα'v + (σ²)'), ν = ½ln σ², ν' = (σ²)'/(2σ²). Along x_k the input tangent is
 * [c_in e_k, 0]; along t it is [c_in'(x − αμ) − c_in α'μ, e'(ν)ν'] with e' the derivative of the Fourier
 * embedding; second x-derivatives of the input vanish (u is affine in x). So the engine's channels give N, ∂_x N,
 * ∂_t N and ∂²_x N exactly, and the FP residuals below are exact (no finite differences).
 *
 * <p>With {@link InputScaling#RAW} the x-part of the input is x itself (tangents e_k along x_k, 0 along t); with
 * {@link TimeInput#T} the time part is t itself (tangent 1 along t).
 *
 * <p>With a {@link Skip} the Gaussian score s_G = −M(x − αμ), M = (α²Σ̂ + σ²I)⁻¹ (Σ̂ = vI for the isotropic skip,
 * so M = c_in²I), is added to the network part (potentials: q_G = −½cᵀMc + ½ln det M, c = x − αμ); its derivatives are
 * closed-form: ∂_j s_G,k = −M_kj, second x-derivatives 0, ∂_t s_G = −Ṁc + α'Mμ, ∂_t q_G = −½cᵀṀc + α'μᵀMc +
 * ½ d/dt ln det M (see {@link #skipRow}). It does not depend on the weights, so every adjoint below is unchanged once s, its Jacobian and
 * ∇q are the full ones.
 *
 * <p>Not thread-safe (engines hold workspaces); one per training.
 */
final class ScoreNet {
    private final Architecture arch;
    private final Preconditioning pre;
    private final Sde sde;
    private final MlpShape shape;
    private final Precision precision;
    private final Map<Channels, MlpEngine> engines = new HashMap<>();
    private final double[] mu;
    private final boolean gauss;
    /** The skip's covariance model: K, U (d × K), λ, ρ (isotropic skip: K = 0, ρ = v). */
    private final int rank;
    private final double[] basis;
    private final double[] lam;
    private final double rho;
    private final double[] dm;
    private final double[] ddm;
    private final double[] proj;
    private final double[] cRow;
    private final double[] mc;
    private final double[] mdc;
    private final double[] mmu;

    ScoreNet(Architecture arch, Preconditioning pre, Sde sde, Precision precision) {
        this.arch = arch;
        this.pre = pre;
        this.sde = sde;
        this.precision = precision;
        this.shape = shape(arch);
        this.mu = pre.mean();
        this.gauss = arch.skip() != Skip.NONE;
        boolean cov = arch.skip() == Skip.COVARIANCE;
        if (cov && pre.rank() == 0) {
            throw new IllegalArgumentException("skip 'covariance' needs a preconditioning with a covariance model");
        }
        this.rank = cov ? pre.rank() : 0;
        this.basis = cov ? pre.basis() : new double[0];
        this.lam = cov ? pre.eigenvalues() : new double[0];
        this.rho = cov ? pre.rest() : pre.variance();
        int d = arch.dim();
        this.dm = new double[rank];
        this.ddm = new double[rank];
        this.proj = new double[rank];
        this.cRow = new double[d];
        this.mc = new double[d];
        this.mdc = new double[d];
        this.mmu = new double[d];
    }

    /**
     * The skip's Gaussian as M = (α²Σ̂ + σ²I)⁻¹ = U diag(m_q)Uᵀ + r(I − UUᵀ) with m_q = 1/(α²λ_q + σ²),
     * r = 1/(α²ρ + σ²) (isotropic skip: K = 0, ρ = v, so r = c_in²); ṁ_q = −(2αα'λ_q + (σ²)')m_q², likewise ṙ.
     * Writes m_q − r into {@code dm} and ṁ_q − ṙ into {@code ddm}; returns {r, ṙ}.
     */
    private double[] skipSpectrum(TimeRow q, double[] dm, double[] ddm) {
        double a2 = q.alpha() * q.alpha();
        double aad = 2 * q.alpha() * q.alphaDot();
        double r = 1 / (a2 * rho + q.s2());
        double rd = -(aad * rho + q.s2Dot()) * r * r;
        for (int k = 0; k < rank; k++) {
            double m = 1 / (a2 * lam[k] + q.s2());
            dm[k] = m - r;
            ddm[k] = -(aad * lam[k] + q.s2Dot()) * m * m - rd;
        }
        return new double[] {r, rd};
    }

    /** out = (r·I + U diag(w)Uᵀ)v for a row vector v (length d), w of length K. */
    private void applyM(double r, double[] w, double[] v, double[] out) {
        int d = arch.dim();
        for (int k = 0; k < rank; k++) {
            proj[k] = 0;
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < rank; k++) {
                proj[k] += basis[j * rank + k] * v[j];
            }
        }
        for (int k = 0; k < rank; k++) {
            proj[k] *= w[k];
        }
        for (int j = 0; j < d; j++) {
            double acc = r * v[j];
            for (int k = 0; k < rank; k++) {
                acc += basis[j * rank + k] * proj[k];
            }
            out[j] = acc;
        }
    }

    /**
     * The skip of one row: {@code s} ← s_G = −Mc, and when {@code sDot} is not null ∂_t s_G = −Ṁc + α'Mμ
     * (c = x − αμ, ċ = −α'μ). Returns {q_G, ∂_t q_G, tr M}: q_G = −½cᵀMc + ½ln det M, ∂_t q_G = −½cᵀṀc + α'μᵀMc +
     * ½ d/dt ln det M. All zero without a skip.
     */
    private double[] skipRow(TimeRow q, double[] x, int row, double[] s, double[] sDot) {
        int d = arch.dim();
        if (!gauss) {
            java.util.Arrays.fill(s, 0);
            if (sDot != null) {
                java.util.Arrays.fill(sDot, 0);
            }
            return new double[3];
        }
        double[] rr = skipSpectrum(q, dm, ddm);
        double r = rr[0];
        double rd = rr[1];
        for (int j = 0; j < d; j++) {
            cRow[j] = x[row * d + j] - q.alpha() * mu[j];
        }
        applyM(r, dm, cRow, mc);
        double cmc = 0;
        double mumc = 0;
        for (int j = 0; j < d; j++) {
            s[j] = -mc[j];
            cmc += cRow[j] * mc[j];
            mumc += mu[j] * mc[j];
        }
        double logDet = (d - rank) * StrictMath.log(r);
        double logDetDot = (d - rank) * rd / r;
        double trace = d * r;
        for (int k = 0; k < rank; k++) {
            double m = dm[k] + r;
            logDet += StrictMath.log(m);
            logDetDot += (ddm[k] + rd) / m;
            trace += dm[k];
        }
        double qDot = 0;
        if (sDot != null) {
            applyM(rd, ddm, cRow, mdc);
            applyM(r, dm, mu, mmu);
            double cmdc = 0;
            for (int j = 0; j < d; j++) {
                sDot[j] = -mdc[j] + q.alphaDot() * mmu[j];
                cmdc += cRow[j] * mdc[j];
            }
            qDot = -0.5 * cmdc + q.alphaDot() * mumc + 0.5 * logDetDot;
        }
        return new double[] {-0.5 * cmc + 0.5 * logDet, qDot, trace};
    }

    /** Prepares {@link #skipJacobian} for a row at q: returns r (and fills m_q − r); 0 without a skip. */
    private double skipJacobianAt(TimeRow q) {
        return gauss ? skipSpectrum(q, dm, ddm)[0] : 0;
    }

    /** ∂_j s_G,k = −M_kj with r from {@link #skipJacobianAt} of the same row (0 without a skip). */
    private double skipJacobian(double r, int k, int j) {
        if (!gauss) {
            return 0;
        }
        double m = k == j ? r : 0;
        for (int p = 0; p < rank; p++) {
            m += basis[k * rank + p] * dm[p] * basis[j * rank + p];
        }
        return -m;
    }

    /** The engine's view of an architecture: inputs d + |e|, W_0 = [W0x; W0t] (their layouts are consecutive). */
    static MlpShape shape(Architecture arch) {
        return new MlpShape(arch.dim() + arch.embedding(), arch.width(), arch.depth(), arch.outputs(), arch.activation(),
                arch.softplusBeta());
    }

    MlpWeights weights(double[] w) {
        return new MlpWeights(shape, precision, w);
    }

    private MlpEngine engine(Channels ch) {
        return engines.computeIfAbsent(ch, c -> new MlpEngine(shape, precision, c));
    }

    /** Time-dependent quantities of one row and their t-derivatives. */
    record TimeRow(double alpha, double s2, double a, double g2, double cin, double nu, double alphaDot, double s2Dot,
                   double cinDot, double nuDot, double scale, double scaleDot) {
    }

    TimeRow time(double t) {
        double alpha = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double a = sde.driftRate(t);
        double g2 = sde.g2(t);
        double v = pre.variance();
        double cin = 1 / Math.sqrt(alpha * alpha * v + s2);
        double alphaDot = -a * alpha;
        double s2Dot = g2 - 2 * a * s2;
        double cinDot = -0.5 * cin * cin * cin * (2 * alpha * alphaDot * v + s2Dot);
        double nu = 0.5 * StrictMath.log(s2);
        double nuDot = s2Dot / (2 * s2);
        double scale;
        double scaleDot;
        if (arch.parameterisation() == Parameterisation.NOISE) {
            double sig = Math.sqrt(s2);
            scale = -1 / sig;
            scaleDot = s2Dot / (2 * s2 * sig);
        } else {
            scale = cin;
            scaleDot = cinDot;
        }
        return new TimeRow(alpha, s2, a, g2, cin, nu, alphaDot, s2Dot, cinDot, nuDot, scale, scaleDot);
    }

    /**
     * Writes the input rows of one block: value [u, e] in channel 0; channel c ≥ 1 of {@code dirs} (1-based: x_k is
     * k, t is d + 1 when {@code withTime}) the tangent of the input along it.
     */
    private void fillInputs(double[] x, double[] t, int r0, int rows, boolean withX, boolean withTime, double[] in,
                            TimeRow[] tr) {
        int d = arch.dim();
        int k0 = shape.inputs();
        int blk = MlpEngine.BLOCK * k0;
        boolean raw = arch.inputScaling() == InputScaling.RAW;
        boolean plainT = arch.timeInput() == TimeInput.T;
        for (int i = 0; i < rows; i++) {
            int row = r0 + i;
            TimeRow q = time(t[row]);
            tr[i] = q;
            int base = i * k0;
            for (int j = 0; j < d; j++) {
                in[base + j] = raw ? x[row * d + j] : q.cin() * (x[row * d + j] - q.alpha() * mu[j]);
            }
            if (plainT) {
                in[base + d] = t[row];
            } else {
                arch.embed(q.nu(), in, base + d);
            }
            if (withX) {
                for (int k = 0; k < d; k++) {
                    in[(1 + k) * blk + base + k] = raw ? 1 : q.cin();
                }
            }
            if (withTime) {
                int c = withX ? d + 1 : 1;
                int tb = c * blk + base;
                for (int j = 0; j < d; j++) {
                    in[tb + j] = raw ? 0 : q.cinDot() * (x[row * d + j] - q.alpha() * mu[j]) - q.cin() * q.alphaDot() * mu[j];
                }
                if (plainT) {
                    in[tb + d] = 1;
                } else {
                    embedDerivative(q.nu(), q.nuDot(), in, tb + d);
                }
            }
        }
    }

    /** d/dt e(ν(t)) = e'(ν)ν' for the embedding of {@link Architecture#embed}. */
    private void embedDerivative(double nu, double nuDot, double[] out, int off) {
        out[off] = nuDot / 4;
        for (int k = 0; k < arch.fourier(); k++) {
            double w = Math.scalb(1.0, k - 2);
            out[off + 1 + 2 * k] = w * StrictMath.cos(w * nu) * nuDot;
            out[off + 2 + 2 * k] = -w * StrictMath.sin(w * nu) * nuDot;
        }
    }

    /** What a pass does with one block's outputs: reads {@code out}, writes the output adjoints into {@code adj}. */
    @FunctionalInterface
    private interface BlockBody {
        void apply(int r0, int rows, TimeRow[] tr, double[] out, double[] adj);
    }

    /**
     * Runs the engine over fixed blocks of {@link MlpEngine#BLOCK} rows (the last one zero-padded): inputs with the
     * channels' tangents, forward, {@code body}, and, when {@code grad} is not null, the reverse pass adding the block's
     * parameter gradient to {@code grad}. Blocks are visited in order, so sums the body accumulates have a fixed order.
     */
    private void blocks(MlpWeights w, Channels ch, double[] x, double[] t, int n, boolean withX, boolean withTime,
                        double[] grad, BlockBody body) {
        MlpEngine eng = engine(ch);
        double[] in = new double[ch.count() * MlpEngine.BLOCK * shape.inputs()];
        double[] out = new double[ch.count() * MlpEngine.BLOCK * shape.outputs()];
        double[] adj = new double[out.length];
        TimeRow[] tr = new TimeRow[MlpEngine.BLOCK];
        for (int r0 = 0; r0 < n; r0 += MlpEngine.BLOCK) {
            int rows = Math.min(MlpEngine.BLOCK, n - r0);
            java.util.Arrays.fill(in, 0);
            fillInputs(x, t, r0, rows, withX, withTime, in, tr);
            eng.forward(w, in, out, grad != null);
            java.util.Arrays.fill(adj, 0);
            body.apply(r0, rows, tr, out, adj);
            if (grad != null) {
                eng.backward(w, adj, grad, null);
            }
        }
    }

    /** All second-order pairs (j ≤ k) of the x directions 1..d, after {@code directions} first-order channels. */
    private record Pairs(Channels channels, int[][] index) {
        static Pairs all(int d, int directions) {
            int np = d * (d + 1) / 2;
            int[] pa = new int[np];
            int[] pb = new int[np];
            int[][] index = new int[d][d];
            int q = 0;
            for (int j = 0; j < d; j++) {
                for (int k = j; k < d; k++) {
                    pa[q] = j + 1;
                    pb[q] = k + 1;
                    index[j][k] = q;
                    index[k][j] = q;
                    q++;
                }
            }
            return new Pairs(new Channels(directions, pa, pb), index);
        }
    }

    /**
     * The denoising loss mean_i coef_i·|σ_i s(x_i, t_i) + ε_i|² (coef = λ(t)/σ²) and, when {@code grad} is not null,
     * its gradient ADDED to {@code grad}. Score and noise outputs: s = scale(t)·N; potentials: s = ∇ₓN (x channels).
     */
    double dsm(MlpWeights w, double[] x, double[] t, double[] sig, double[] eps, double[] coef, int n, double[] grad) {
        int d = arch.dim();
        boolean pot = arch.parameterisation() == Parameterisation.POTENTIAL;
        Channels ch = pot ? Channels.firstOrder(d) : Channels.VALUE;
        int o = shape.outputs();
        int bo = MlpEngine.BLOCK * o;
        double[] sum = {0};
        double[] sg = new double[d];
        blocks(w, ch, x, t, n, pot, false, grad, (r0, rows, tr, out, adj) -> {
            for (int i = 0; i < rows; i++) {
                int row = r0 + i;
                double q = 0;
                skipRow(tr[i], x, row, sg, null);
                for (int j = 0; j < d; j++) {
                    double s = (pot ? out[(1 + j) * bo + i] : tr[i].scale() * out[i * o + j]) + sg[j];
                    double res = sig[row] * s + eps[row * d + j];
                    q += res * res;
                    double ds = 2 * coef[row] * res * sig[row] / n;
                    if (pot) {
                        adj[(1 + j) * bo + i] = ds;
                    } else {
                        adj[i * o + j] = ds * tr[i].scale();
                    }
                }
                sum[0] += coef[row] * q;
            }
        });
        return sum[0] / n;
    }

    /**
     * The FP penalty mean_i weight_i·|r_i|^m at collocation points, exact residuals (potential: M4, score and noise
     * outputs: M5), and, when {@code grad} is not null, {@code factor} times its gradient ADDED to {@code grad}.
     */
    double fpPenalty(MlpWeights w, double[] x, double[] t, double[] weight, double power, int n, double factor,
                     double[] grad) {
        return arch.parameterisation() == Parameterisation.POTENTIAL
                ? m4(w, x, t, weight, power, n, factor, grad, null)
                : m5(w, x, t, weight, power, n, factor, grad, null);
    }

    /** The exact FP residuals at the points (n for M4, n × d for M5). */
    double[] residual(MlpWeights w, double[] x, double[] t, int n) {
        boolean pot = arch.parameterisation() == Parameterisation.POTENTIAL;
        double[] r = new double[pot ? n : n * arch.dim()];
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        if (pot) {
            m4(w, x, t, ones, 2, n, 0, null, r);
        } else {
            m5(w, x, t, ones, 2, n, 0, null, r);
        }
        return r;
    }

    /** d(weight·|r|^m)/dr for a residual vector of squared norm q. */
    private static double penaltySlope(double weight, double power, double q) {
        return power == 2 ? 2 * weight : weight * power * Math.pow(q + 1e-300, power / 2 - 1);
    }

    private static double penaltyValue(double weight, double power, double q) {
        return power == 2 ? weight * q : weight * Math.pow(q + 1e-300, power / 2);
    }

    /**
     * One row of a Fokker–Planck residual pass (M4, M5): {@code i} its place in the block, {@code row} in the batch,
     * {@code q} its time terms, {@code qg} = {q_G, ∂_t q_G, tr M} of the Gaussian skip (sg and sgDot already hold
     * ∇q_G and ∂_t∇q_G of the row).
     */
    @FunctionalInterface
    private interface ResidualRow {
        void apply(int i, int row, TimeRow q, double[] qg, double[] out, double[] adj);
    }

    /**
     * Runs {@code body} on every row of a residual pass: blocks with x and t channels and, when {@code grad} is not
     * null, the reverse pass; the skip's terms of the row are put into {@code sg}, {@code sgDot} first
     * ({@link #skipRow}).
     */
    private void residualRows(MlpWeights w, Channels ch, double[] x, double[] t, int n, double[] grad, double[] sg,
                              double[] sgDot, ResidualRow body) {
        blocks(w, ch, x, t, n, true, true, grad, (r0, rows, tr, out, adj) -> {
            for (int i = 0; i < rows; i++) {
                int row = r0 + i;
                body.apply(i, row, tr[i], skipRow(tr[i], x, row, sg, sgDot), out, adj);
            }
        });
    }

    /**
     * M4 for a potential q = N (+ q_G): r = ∂_t q − [d·a + a x·∇q + ½g²(Δq + |∇q|²)]. Channels: value, x_1..x_d, t, (k, k).
     * Adjoints: ∂_t N ← r̄, ∂_k N ← −r̄(a x_k + g² ∂_k q), ∂_kk N ← −½g² r̄.
     */
    private double m4(MlpWeights w, double[] x, double[] t, double[] weight, double power, int n, double factor,
                      double[] grad, double[] resOut) {
        int d = arch.dim();
        int[] pa = new int[d];
        int[] pb = new int[d];
        for (int k = 0; k < d; k++) {
            pa[k] = k + 1;
            pb[k] = k + 1;
        }
        Channels ch = new Channels(d + 1, pa, pb);
        int bo = MlpEngine.BLOCK; // one output
        int tc = d + 1;
        double[] sum = {0};
        double[] gq = new double[d]; // ∇q = ∇N + ∇q_G of the current row
        double[] sg = new double[d];
        double[] sgDot = new double[d];
        residualRows(w, ch, x, t, n, grad, sg, sgDot, (i, row, q, qg, out, adj) -> {
            double xg = 0;
            double lap = -qg[2]; // Δq_G = −tr M
            double g2n = 0;
            for (int k = 0; k < d; k++) {
                double gk = out[(1 + k) * bo + i] + sg[k];
                gq[k] = gk;
                xg += x[row * d + k] * gk;
                g2n += gk * gk;
                lap += out[ch.pair(k) * bo + i];
            }
            double r = out[tc * bo + i] + qg[1] - (d * q.a() + q.a() * xg + 0.5 * q.g2() * (lap + g2n));
            if (resOut != null) {
                resOut[row] = r;
            }
            sum[0] += penaltyValue(weight[row], power, r * r);
            double rb = factor * penaltySlope(weight[row], power, r * r) * r / n;
            adj[tc * bo + i] = rb;
            for (int k = 0; k < d; k++) {
                adj[(1 + k) * bo + i] = -rb * (q.a() * x[row * d + k] + q.g2() * gq[k]);
                adj[ch.pair(k) * bo + i] = -0.5 * q.g2() * rb;
            }
        });
        return sum[0] / n;
    }

    /**
     * M5 for s = scale(t)·N (+ s_G): r_j = ∂_t s_j − [½g² Σ_k ∂_j∂_k s_k + g² Σ_k (∂_j s_k) s_k + a(s_j + Σ_k (∂_j s_k) x_k)].
     * Channels: value, x_1..x_d, t, all pairs (j ≤ k); ∂_t s = scale'·N + scale·∂_t N.
     */
    private double m5(MlpWeights w, double[] x, double[] t, double[] weight, double power, int n, double factor,
                      double[] grad, double[] resOut) {
        int d = arch.dim();
        Pairs pairs = Pairs.all(d, d + 1);
        Channels ch = pairs.channels();
        int[][] pairOf = pairs.index();
        int o = d;
        int bo = MlpEngine.BLOCK * o;
        int tc = d + 1;
        double[] s = new double[d];
        double[][] jac = new double[d][d]; // jac[k][j] = ∂_j s_k
        double[] r = new double[d];
        double[] sb = new double[d];
        double[] sum = {0};
        double[] sg = new double[d];
        double[] sgDot = new double[d];
        residualRows(w, ch, x, t, n, grad, sg, sgDot, (i, row, q, qg, out, adj) -> {
            double sc = q.scale();
            double rq = skipJacobianAt(q);
            for (int k = 0; k < d; k++) {
                s[k] = sc * out[i * o + k] + sg[k];
                for (int j = 0; j < d; j++) {
                    jac[k][j] = sc * out[(1 + j) * bo + i * o + k] + skipJacobian(rq, k, j);
                }
            }
            double nrm = 0;
            for (int j = 0; j < d; j++) {
                double dt = q.scaleDot() * out[i * o + j] + sc * out[tc * bo + i * o + j] + sgDot[j];
                double graddiv = 0;
                double jts = 0;
                double jtx = 0;
                for (int k = 0; k < d; k++) {
                    graddiv += sc * out[ch.pair(pairOf[j][k]) * bo + i * o + k];
                    jts += jac[k][j] * s[k];
                    jtx += jac[k][j] * x[row * d + k];
                }
                r[j] = dt - (0.5 * q.g2() * graddiv + q.g2() * jts + q.a() * (s[j] + jtx));
                nrm += r[j] * r[j];
                if (resOut != null) {
                    resOut[row * d + j] = r[j];
                }
            }
            sum[0] += penaltyValue(weight[row], power, nrm);
            double slope = factor * penaltySlope(weight[row], power, nrm) / n;
            java.util.Arrays.fill(sb, 0);
            for (int j = 0; j < d; j++) {
                double rb = slope * r[j];
                // ∂_t s_j = scale'·N_j + scale·∂_t N_j
                adj[i * o + j] += rb * q.scaleDot();
                adj[tc * bo + i * o + j] += rb * sc;
                sb[j] -= rb * q.a();
                for (int k = 0; k < d; k++) {
                    // graddiv: ∂_j∂_k s_k (pair (j, k), output k)
                    adj[ch.pair(pairOf[j][k]) * bo + i * o + k] -= 0.5 * q.g2() * rb * sc;
                    // jts, jtx: ∂_j s_k = scale·(x_j channel, output k); s_k
                    adj[(1 + j) * bo + i * o + k] -= rb * (q.g2() * s[k] + q.a() * x[row * d + k]) * sc;
                    sb[k] -= rb * q.g2() * jac[k][j];
                }
            }
            for (int k = 0; k < d; k++) {
                adj[i * o + k] += sb[k] * sc;
            }
        });
        return sum[0] / n;
    }

    /** Network outputs (value channel) for inputs at per-row times: n × outputs. */
    double[] network(MlpWeights w, double[] x, double[] t, int n) {
        int o = shape.outputs();
        double[] res = new double[n * o];
        blocks(w, Channels.VALUE, x, t, n, false, false, null, (r0, rows, tr, out, adj) -> {
            System.arraycopy(out, 0, res, r0 * o, rows * o);
        });
        return res;
    }

    /** The potential φ = N + q_G (value channel plus the Gaussian skip's potential) at per-row times: n values. */
    double[] potential(MlpWeights w, double[] x, double[] t, int n) {
        double[] res = new double[n];
        double[] sg = new double[arch.dim()];
        blocks(w, Channels.VALUE, x, t, n, false, false, null, (r0, rows, tr, out, adj) -> {
            for (int i = 0; i < rows; i++) {
                res[r0 + i] = out[i] + skipRow(tr[i], x, r0 + i, sg, null)[0];
            }
        });
        return res;
    }

    /** The score s(x, t) (n × d): scale·N, or ∇ₓN for potentials (first-order x channels), plus s_G with the skip. */
    double[] score(MlpWeights w, double[] x, double[] t, int n) {
        int d = arch.dim();
        boolean pot = arch.parameterisation() == Parameterisation.POTENTIAL;
        Channels ch = pot ? Channels.firstOrder(d) : Channels.VALUE;
        int o = shape.outputs();
        int bo = MlpEngine.BLOCK * o;
        double[] res = new double[n * d];
        double[] sg = new double[d];
        blocks(w, ch, x, t, n, pot, false, null, (r0, rows, tr, out, adj) -> {
            for (int i = 0; i < rows; i++) {
                skipRow(tr[i], x, r0 + i, sg, null);
                for (int j = 0; j < d; j++) {
                    res[(r0 + i) * d + j] = (pot ? out[(1 + j) * bo + i] : tr[i].scale() * out[i * o + j]) + sg[j];
                }
            }
        });
        return res;
    }

    /**
     * The Jacobian ∂s_a/∂x_b of the score at each point (out[i·d² + a·d + b]), exact: first-order x channels for
     * score and noise outputs (scale·∂N_a/∂x_b), and for potentials the Hessian of φ from second-order pairs.
     */
    void jacobian(MlpWeights w, double[] x, double[] t, int n, double[] jacOut) {
        int d = arch.dim();
        boolean pot = arch.parameterisation() == Parameterisation.POTENTIAL;
        Pairs pairs = pot ? Pairs.all(d, d) : null;
        Channels ch = pot ? pairs.channels() : Channels.firstOrder(d);
        int[][] pairOf = pot ? pairs.index() : null;
        int o = shape.outputs();
        int bo = MlpEngine.BLOCK * o;
        blocks(w, ch, x, t, n, true, false, null, (r0, rows, tr, out, adj) -> {
            for (int i = 0; i < rows; i++) {
                int base = (r0 + i) * d * d;
                double rq = skipJacobianAt(tr[i]);
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        jacOut[base + a * d + b] = (pot ? out[ch.pair(pairOf[a][b]) * bo + i]
                                : tr[i].scale() * out[(1 + b) * bo + i * o + a]) + skipJacobian(rq, a, b);
                    }
                }
            }
        });
    }
}
