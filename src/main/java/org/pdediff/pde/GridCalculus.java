package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;

/**
 * Finite differences on a {@link Grid}: gradients and divergences of cell fields, second order everywhere (central
 * differences inside, the three-point one-sided formula (−3f₀ + 4f₁ − f₂)/(2h) on the first and last cells), and the
 * grid score ∇ log p of a density.
 */
public final class GridCalculus {
    private GridCalculus() {
    }

    /** ∂f/∂x_j at every cell, written into {@code out[cell·stride + offset]}. */
    private static void partial(Grid grid, double[] f, int j, double[] out, int outStride, int outOffset) {
        int n = grid.n(j);
        double h = grid.h(j);
        int stride = grid.stride(j);
        for (int off : grid.lineStarts(j)) {
            for (int i = 0; i < n; i++) {
                int c = off + i * stride;
                double v;
                if (i == 0) {
                    v = (-3 * f[c] + 4 * f[c + stride] - f[c + 2 * stride]) / (2 * h);
                } else if (i == n - 1) {
                    v = (3 * f[c] - 4 * f[c - stride] + f[c - 2 * stride]) / (2 * h);
                } else {
                    v = (f[c + stride] - f[c - stride]) / (2 * h);
                }
                out[c * outStride + outOffset] = v;
            }
        }
    }

    /** The gradient of a scalar cell field: a batch (cells × d). */
    public static Batch gradient(Grid grid, double[] f) {
        requireCells(grid, f.length, 1);
        int d = grid.dim();
        Batch g = Batch.zeros(grid.cells(), d);
        for (int j = 0; j < d; j++) {
            partial(grid, f, j, g.data(), d, j);
        }
        return g;
    }

    /** The divergence Σ_j ∂_j v_j of a vector cell field (cells × d). */
    public static double[] divergence(Grid grid, Batch v) {
        int d = grid.dim();
        requireCells(grid, v.size(), 1);
        if (v.dim() != d) {
            throw new InvalidInputException("field of dimension " + v.dim() + " on a " + d + "-D grid");
        }
        int cells = grid.cells();
        double[] comp = new double[cells];
        double[] part = new double[cells];
        double[] div = new double[cells];
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < cells; c++) {
                comp[c] = v.get(c, j);
            }
            partial(grid, comp, j, part, 1, 0);
            for (int c = 0; c < cells; c++) {
                div[c] += part[c];
            }
        }
        return div;
    }

    /**
     * The Jacobian ∂v_a/∂x_b of a vector cell field, row-major d × d per cell (the layout of
     * {@code ScoreModel.jacobian}).
     */
    public static double[] jacobian(Grid grid, Batch v) {
        int d = grid.dim();
        int cells = grid.cells();
        double[] comp = new double[cells];
        double[] out = new double[cells * d * d];
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < cells; c++) {
                comp[c] = v.get(c, a);
            }
            for (int b = 0; b < d; b++) {
                partial(grid, comp, b, out, d * d, a * d + b);
            }
        }
        return out;
    }

    /**
     * The grid score ∇ log p of a density (cells × d); NaN where p or a neighbour used by the stencil is ≤ 0.
     * Second-order accurate where log p is smooth.
     */
    public static Batch score(GridDensity p) {
        double[] v = p.values();
        double[] lg = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            lg[i] = v[i] > 0 ? Math.log(v[i]) : Double.NaN;
        }
        return gradient(p.grid(), lg);
    }

    static void requireCells(Grid grid, int n, int per) {
        if (n != grid.cells() * per) {
            throw new InvalidInputException("field has " + n + " entries for a grid of " + grid.cells() + " cells");
        }
    }
}
