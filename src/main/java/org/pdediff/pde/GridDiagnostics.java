package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * Diagnostics on the cells of a grid: the score Fokker–Planck residual (M5) of a score model with its norms over the
 * box, and the Li–Yau margin (M14) of a score model or of a grid density. The pointwise formulas are
 * {@link ScoreDiagnostics}'; the model is evaluated on all cell centres as one batch.
 */
public final class GridDiagnostics {
    private GridDiagnostics() {
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
     * The residual of {@code score} at time t at every cell centre ({@link ScoreDiagnostics#residual}, the one home of
     * M5 and its difference steps) and its norms over the box.
     */
    public static Residual residual(ScoreModel score, Grid grid, double t, GridDensity weight) {
        requireDim(score, grid);
        if (weight != null && !weight.grid().sameAs(grid)) {
            throw new InvalidInputException("weight density lives on another grid");
        }
        Batch r = ScoreDiagnostics.residual(score, grid.centres(), t);
        int d = grid.dim();
        double l1 = 0;
        double l2 = 0;
        double linf = 0;
        double wsum = 0;
        double[] wv = weight == null ? null : weight.values();
        for (int c = 0; c < grid.cells(); c++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                double v = r.get(c, j);
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

    /**
     * The Li–Yau margin λ_min(sym ∇s(x, t)) + 1/σ(t)² of a score model at every cell (M14, claim C3): ≥ 0 for every
     * exact score; a negative value flags a learned score that no data law can produce.
     */
    public static double[] liYauMargin(ScoreModel score, Grid grid, double t) {
        requireDim(score, grid);
        return ScoreDiagnostics.liYauMargin(score, grid.centres(), t);
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
        double[] lam = ScoreDiagnostics.liYauMargin(hess, grid.dim(), sde.sigma2(p.t()));
        double cut = relative * p.max();
        double[] v = p.values();
        int d = grid.dim();
        int n0 = grid.n(0);
        int n1 = d == 2 ? grid.n(1) : 1;
        for (int c = 0; c < lam.length; c++) {
            int i = d == 2 ? c / n1 : c;
            int j = d == 2 ? c % n1 : 2;
            boolean interior = i >= 2 && i < n0 - 2 && (d == 1 || (j >= 2 && j < n1 - 2));
            lam[c] = interior && v[c] >= cut ? lam[c] : Double.NaN;
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
