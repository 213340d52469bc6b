package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.core.Linalg;
import org.pdediff.core.Stencil;
import org.pdediff.sde.Sde;

/**
 * The one home of the pointwise diagnostics of any score model (MATH.md §7): the Fokker–Planck residuals M5 and M4, the
 * divergence and Jacobian (closed form when the model has one, else central differences) and the Li–Yau margin M14.
 * Training, the grid solvers ({@code pde.GridDiagnostics}), the experiments and the CLI all evaluate these formulas
 * here, with one set of difference steps; nothing here loads a tensor engine.
 *
 * <p>Score-FP residual (M5), with f = −a(t)x and J_{jk} = ∂_k s_j:
 * r = ∂_t s − [½g² ∇(∇·s) + g² Jᵀs + a(s + Jᵀx)], since ∇(½|s|²) = Jᵀs, ∇(−⟨f, s⟩) = ∇(a x·s) = a(s + Jᵀx) and
 * ∇·f = −d·a is constant in x. Exact scores have r ≡ 0. Differences: ∂_k s by (s(x + h e_k) − s(x − h e_k))/2h;
 * ∂_k∂_k s_k by the three-point second difference; ∂_j∂_k s_j (j ≠ k) by the four-point mixed difference;
 * ∂_t s by (s(t + τ) − s(t − τ))/2τ. Steps h = {@value #REL_X}·σ(t) and τ = {@value #REL_T}·min(t, σ²/g²): p_t
 * varies on length scales ≥ σ(t) and time scales ≳ min(t, σ²/g²), so the truncation error is O(10⁻⁶) relative, while rounding
 * on float64 evaluations is ≈ 10⁻¹⁶/(10⁻³)² = 10⁻¹⁰ relative. One residual costs 1 + 2d + 2d(d − 1) + 2 score
 * evaluations of the batch (done as three calls).
 *
 * <p>Divergence and Jacobian without a closed form: the central differences ∂_b s_a ≈ (s(x + h e_b) − s(x − h e_b))/2h
 * with the same step h = {@value #REL_X}·σ(t) (floored at 10⁻³·10⁻⁸).
 *
 * <p>Log-density FP residual (M4) of a potential q (P3's form):
 * r = ∂_t q − [d·a + a x·∇q + ½g²(Δq + |∇q|²)], with ∇q, Δq and ∂_t q by the same central differences.
 */
public final class ScoreDiagnostics {
    /** Relative step in x, in units of σ(t). */
    public static final double REL_X = 1e-3;
    /** Relative step in t, in units of t. */
    public static final double REL_T = 1e-3;

    private ScoreDiagnostics() {
    }

    /** A scalar potential q(t, x) evaluated on a batch (e.g. {@code NeuralScore#potential}). */
    @FunctionalInterface
    public interface Potential {
        double[] eval(Batch x, double t);
    }

    /** Step in x at time t. */
    public static double stepX(Sde sde, double t) {
        return REL_X * sde.sigma(t);
    }

    /**
     * Step in t at time t: {@value #REL_T}·min(t, σ²(t)/g²(t)). The marginals change on the time scale σ²/g² (the
     * time in which the noise variance grows by itself: t for heat and for VP near 0, 1/(2 ln(σmax/σmin)) for VE,
     * 1/β for VP at large t), and no faster than t near 0.
     */
    public static double stepT(Sde sde, double t) {
        return REL_T * Math.min(t, sde.sigma2(t) / sde.g2(t));
    }

    /** Offset copies of x for the x-differences ({@link Stencil}'s layout). */
    static Batch stencil(Batch x, double h) {
        int n = x.size();
        int d = x.dim();
        Batch big = Batch.zeros(n * Stencil.blocks(d), d);
        double[] pts = Stencil.points(x.data(), n, d, h);
        System.arraycopy(pts, 0, big.data(), 0, pts.length);
        return big;
    }

    /** The score-FP residual (M5) r(x_i, t), as a new n × d batch. */
    public static Batch residual(ScoreModel s, Batch x, double t) {
        Sde sde = s.sde();
        int n = x.size();
        int d = x.dim();
        double h = stepX(sde, t);
        double tau = stepT(sde, t);
        double[] S = s.score(stencil(x, h), t).data();
        double[] sp = s.score(x, t + tau).data();
        double[] sm = s.score(x, t - tau).data();
        double a = sde.driftRate(t);
        double g2 = sde.g2(t);
        Batch r = Batch.zeros(n, d);
        double[] xs = x.data();
        double[] out = r.data();
        int nd = n * d;
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int k = 0; k < d; k++) {
                int pk = (1 + 2 * k) * nd + o;
                int mk = (2 + 2 * k) * nd + o;
                double jts = 0;
                double jtx = 0;
                for (int j = 0; j < d; j++) {
                    double jjk = (S[pk + j] - S[mk + j]) / (2 * h);
                    jts += jjk * S[o + j];
                    jtx += jjk * xs[o + j];
                }
                double graddiv = Stencil.gradDiv(S, n, d, i, k, h);
                double dt = (sp[o + k] - sm[o + k]) / (2 * tau);
                out[o + k] = dt - (0.5 * g2 * graddiv + g2 * jts + a * (S[o + k] + jtx));
            }
        }
        return r;
    }

    /** Root mean square of |r(x_i, t)| over the batch (the residual norm reported per t). */
    public static double rms(ScoreModel s, Batch x, double t) {
        return rmsNorm(residual(s, x, t));
    }

    /** √(mean_i |r_i|²). */
    public static double rmsNorm(Batch r) {
        double sum = 0;
        for (double v : r.data()) {
            sum += v * v;
        }
        return Math.sqrt(sum / Math.max(1, r.size()));
    }

    /** The log-density FP residual (M4) of a potential q at (x_i, t). */
    public static double[] logDensityResidual(Potential q, Sde sde, Batch x, double t) {
        int n = x.size();
        int d = x.dim();
        double h = stepX(sde, t);
        double tau = stepT(sde, t);
        Batch big = Batch.zeros(n * (1 + 2 * d), d);
        double[] pts = Stencil.axisPoints(x.data(), n, d, h);
        System.arraycopy(pts, 0, big.data(), 0, pts.length);
        double[] Q = q.eval(big, t);
        double[] qp = q.eval(x, t + tau);
        double[] qm = q.eval(x, t - tau);
        double a = sde.driftRate(t);
        double g2 = sde.g2(t);
        double[] r = new double[n];
        double[] xs = x.data();
        for (int i = 0; i < n; i++) {
            double lap = 0;
            double grad2 = 0;
            double xg = 0;
            for (int k = 0; k < d; k++) {
                double p = Q[(1 + 2 * k) * n + i];
                double m = Q[(2 + 2 * k) * n + i];
                double gk = (p - m) / (2 * h);
                lap += (p - 2 * Q[i] + m) / (h * h);
                grad2 += gk * gk;
                xg += xs[i * d + k] * gk;
            }
            double dt = (qp[i] - qm[i]) / (2 * tau);
            r[i] = dt - (d * a + a * xg + 0.5 * g2 * (lap + grad2));
        }
        return r;
    }

    /** ∇·s at the points: the model's closed form when it has one ({@link WithDivergence}), else the trace of {@link #jacobian}. */
    public static double[] divergence(ScoreModel score, Batch x, double t) {
        double[] div = new double[x.size()];
        if (score instanceof WithDivergence w) {
            w.divergence(x, t, div);
            return div;
        }
        double[] jac = jacobian(score, x, t);
        int d = x.dim();
        for (int c = 0; c < div.length; c++) {
            for (int j = 0; j < d; j++) {
                div[c] += jac[c * d * d + j * d + j];
            }
        }
        return div;
    }

    /**
     * ∇s at the points (row-major d × d each): the model's closed form when it has one ({@link WithJacobian}), else
     * central differences with step {@value #REL_X}·σ(t).
     */
    public static double[] jacobian(ScoreModel score, Batch x, double t) {
        int d = x.dim();
        int n = x.size();
        double[] jac = new double[n * d * d];
        if (score instanceof WithJacobian w) {
            w.jacobian(x, t, jac);
            return jac;
        }
        double eps = REL_X * Math.max(score.sde().sigma(t), 1e-8);
        for (int b = 0; b < d; b++) {
            Batch xp = x.copy();
            Batch xm = x.copy();
            for (int i = 0; i < n; i++) {
                xp.set(i, b, x.get(i, b) + eps);
                xm.set(i, b, x.get(i, b) - eps);
            }
            Batch sp = score.score(xp, t);
            Batch sm = score.score(xm, t);
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    jac[i * d * d + a * d + b] = (sp.get(i, a) - sm.get(i, a)) / (2 * eps);
                }
            }
        }
        return jac;
    }

    /**
     * The Li–Yau margin λ_min(sym ∇s(x, t)) + 1/σ(t)² of a score model at every point (M14, claim C3): ≥ 0 for every
     * exact score; a negative value flags a learned score that no data law can produce. NaN where ∇s is not finite.
     */
    public static double[] liYauMargin(ScoreModel score, Batch x, double t) {
        return liYauMargin(jacobian(score, x, t), x.dim(), score.sde().sigma2(t));
    }

    /** The Li–Yau margin λ_min(sym J_i) + 1/σ² of given Jacobians (row-major d × d blocks), NaN where not finite. */
    public static double[] liYauMargin(double[] jac, int d, double sigma2) {
        double[] lam = Linalg.minEigenSym(jac, d);
        double inv = 1 / sigma2;
        for (int c = 0; c < lam.length; c++) {
            lam[c] += inv;
        }
        return lam;
    }
}
