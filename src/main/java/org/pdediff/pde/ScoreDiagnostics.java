package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * Diagnostics of a score model on the cells of a grid: the score Fokker–Planck residual (M5) and the Li–Yau margin
 * (M14). The model is evaluated on all cell centres as one batch.
 */
public final class ScoreDiagnostics {
    private ScoreDiagnostics() {
    }

    /**
     * The score-FP residual r = ∂_t s − ∇[½g²(∇·s + |s|²) + a(t) x·s + d·a(t)] of M5 (with f = −a x:
     * −⟨f, s⟩ = a x·s, −∇·f = d a), at every cell, and its norms over the box: L¹, L², L^∞ of |r| and, when a weight
     * density is given, the p-weighted L² norm (Σ p|r|²|cell|)^{1/2}.
     *
     * @param r        the residual vectors (cells × d)
     * @param l1       ∫|r| over the box
     * @param l2       (∫|r|²)^{1/2} over the box
     * @param linf     max |r|
     * @param weighted (∫ p|r|²)^{1/2} for the given weight p, NaN without one
     */
    public record Residual(Batch r, double l1, double l2, double linf, double weighted) {
    }

    /**
     * The residual of {@code score} at time t on the grid. ∂_t s is the central difference with step 10⁻⁴t (error
     * O(10⁻⁸) relative, rounding O(10⁻¹²)); ∇·s is the model's closed form when it has one, else central differences
     * with step 10⁻⁴σ(t); the outer gradient is the second-order grid gradient ({@link GridCalculus}), so for an exact
     * score the residual is O(h²).
     */
    public static Residual residual(ScoreModel score, Grid grid, double t, GridDensity weight) {
        requireDim(score, grid);
        Sde sde = score.sde();
        int d = grid.dim();
        Batch x = grid.centres();
        int cells = grid.cells();
        double dt = 1e-4 * t;
        Batch sp = score.score(x, t + dt);
        Batch sm = score.score(x, t - dt);
        Batch s = score.score(x, t);
        double[] div = divergence(score, x, t);
        double a = sde.driftRate(t);
        double hg2 = 0.5 * sde.g2(t);
        double[] phi = new double[cells];
        for (int c = 0; c < cells; c++) {
            double s2 = 0;
            double xs = 0;
            for (int j = 0; j < d; j++) {
                double v = s.get(c, j);
                s2 += v * v;
                xs += x.get(c, j) * v;
            }
            phi[c] = hg2 * (div[c] + s2) + a * xs + d * a;
        }
        Batch grad = GridCalculus.gradient(grid, phi);
        Batch r = Batch.zeros(cells, d);
        double l1 = 0;
        double l2 = 0;
        double linf = 0;
        double wsum = 0;
        double[] wv = weight == null ? null : weight.values();
        if (weight != null && !weight.grid().sameAs(grid)) {
            throw new InvalidInputException("weight density lives on another grid");
        }
        for (int c = 0; c < cells; c++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                double v = (sp.get(c, j) - sm.get(c, j)) / (2 * dt) - grad.get(c, j);
                r.set(c, j, v);
                q += v * v;
            }
            l1 += Math.sqrt(q);
            l2 += q;
            linf = Math.max(linf, Math.sqrt(q));
            if (wv != null) {
                wsum += Math.max(wv[c], 0) * q;
            }
        }
        double vol = grid.cellVolume();
        return new Residual(r, l1 * vol, Math.sqrt(l2 * vol), linf, wv == null ? Double.NaN : Math.sqrt(wsum * vol));
    }

    /** ∇·s at the points: closed form if available, else central differences with step 10⁻⁴σ(t). */
    public static double[] divergence(ScoreModel score, Batch x, double t) {
        double[] div = new double[x.size()];
        if (score.hasDivergence()) {
            score.divergence(x, t, div);
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

    /** ∇s at the points (row-major d × d each): closed form if available, else central differences, step 10⁻⁴σ(t). */
    public static double[] jacobian(ScoreModel score, Batch x, double t) {
        int d = x.dim();
        int n = x.size();
        double[] jac = new double[n * d * d];
        if (score.hasJacobian()) {
            score.jacobian(x, t, jac);
            return jac;
        }
        double eps = 1e-4 * Math.max(score.sde().sigma(t), 1e-8);
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
     * The Li–Yau margin λ_min(sym ∇s(x, t)) + 1/σ(t)² of a score model at every cell (M14, claim C3): ≥ 0 for every
     * exact score; a negative value flags a learned score that no data law can produce.
     */
    public static double[] liYauMargin(ScoreModel score, Grid grid, double t) {
        requireDim(score, grid);
        double[] lam = GridCalculus.minEigenSym(jacobian(score, grid.centres(), t), grid.dim());
        double inv = 1 / score.sde().sigma2(t);
        for (int c = 0; c < lam.length; c++) {
            lam[c] += inv;
        }
        return lam;
    }

    /**
     * The Li–Yau margin of a grid density: λ_min(∇² log p) + 1/σ(t)², with the Hessian from second-order differences,
     * on the interior cells (two or more cells from the boundary, where the stencil is central and the zero-flux
     * boundary does not distort the solution) where p ≥ {@code relative}·max p; NaN elsewhere (in the far tails
     * log p of a discrete solution is dominated by its relative error).
     */
    public static double[] liYauMargin(GridDensity p, Sde sde, double relative) {
        Grid grid = p.grid();
        double[] hess = GridCalculus.jacobian(grid, GridCalculus.score(p));
        double[] lam = GridCalculus.minEigenSym(hess, grid.dim());
        double inv = 1 / sde.sigma2(p.t());
        double cut = relative * p.max();
        double[] v = p.values();
        int d = grid.dim();
        int n0 = grid.n(0);
        int n1 = d == 2 ? grid.n(1) : 1;
        for (int c = 0; c < lam.length; c++) {
            int i = d == 2 ? c / n1 : c;
            int j = d == 2 ? c % n1 : 2;
            boolean interior = i >= 2 && i < n0 - 2 && (d == 1 || (j >= 2 && j < n1 - 2));
            lam[c] = interior && v[c] >= cut ? lam[c] + inv : Double.NaN;
        }
        return lam;
    }

    /** The smallest non-NaN value (NaN if there is none). */
    public static double minFinite(double[] a) {
        double m = Double.NaN;
        for (double v : a) {
            if (!Double.isNaN(v) && !(v >= m)) {
                m = v;
            }
        }
        return m;
    }

    private static void requireDim(ScoreModel score, Grid grid) {
        if (score.dim() != grid.dim()) {
            throw new InvalidInputException("score of dimension " + score.dim() + " on a " + grid.dim() + "-D grid");
        }
    }
}
