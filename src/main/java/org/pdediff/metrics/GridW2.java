package org.pdediff.metrics;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;

/**
 * Exact W2² (MATH.md §8) between densities on one 2-D grid. Exact transport over all n² cells is too large beyond
 * small grids, so the cells are first merged into blocks of f₀ × f₁ cells with at most {@code maxCells} blocks per
 * side; a block carries the mass of its cells (negative values clipped to 0) at its geometric centre, so the result
 * is exact for the merged measures and differs from the fine one by at most the block diameter.
 */
public final class GridW2 {
    private GridW2() {
    }

    /**
     * Masses of a 2-D grid density merged into blocks.
     *
     * @param masses  the block masses, row-major (last axis fastest)
     * @param centres the blocks' geometric centres (independent of the mass inside), one row per block
     */
    public record Blocks(double[] masses, Batch centres) {
    }

    /** The cell masses of {@code g} merged so that at most {@code maxCells} blocks remain per side. */
    public static Blocks blocks(GridDensity g, int maxCells) {
        Grid grid = g.grid();
        int n0 = grid.n(0);
        int n1 = grid.n(1);
        int f0 = (n0 + maxCells - 1) / maxCells;
        int f1 = (n1 + maxCells - 1) / maxCells;
        int m0 = (n0 + f0 - 1) / f0;
        int m1 = (n1 + f1 - 1) / f1;
        double[] mass = new double[m0 * m1];
        double vol = grid.cellVolume();
        double[] v = g.values();
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n1; j++) {
                // GridDensity values are row-major with the last axis fastest
                mass[(i / f0) * m1 + (j / f1)] += Math.max(0, v[i * n1 + j]) * vol;
            }
        }
        Batch c = Batch.zeros(m0 * m1, 2);
        for (int i = 0; i < m0; i++) {
            for (int j = 0; j < m1; j++) {
                int b = i * m1 + j;
                c.set(b, 0, 0.5 * (grid.centre(0, i * f0) + grid.centre(0, Math.min(n0 - 1, (i + 1) * f0 - 1))));
                c.set(b, 1, 0.5 * (grid.centre(1, j * f1) + grid.centre(1, Math.min(n1 - 1, (j + 1) * f1 - 1))));
            }
        }
        return new Blocks(mass, c);
    }

    /** Exact W2² between two densities on one 2-D grid, cells merged to at most {@code maxCells} blocks per side. */
    public static double w2sq(GridDensity a, GridDensity b, int maxCells) {
        Blocks ba = blocks(a, maxCells);
        Blocks bb = blocks(b, maxCells);
        return Wasserstein.exactWeighted(ba.centres(), ba.masses(), bb.centres(), bb.masses(), GroundCost.SQUARED_EUCLIDEAN).value();
    }
}
