package org.pdediff.metrics;

import org.pdediff.core.Batch;
import org.pdediff.core.Binning;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;

/**
 * A histogram of a sample set on the regular grid of k^d cells covering [−box, box]^d (the P3-style histogram whose
 * W2 is computed between cell centres, {@link Wasserstein#histograms}). Points outside the box are counted in the
 * nearest edge cell (mass is kept) and their number is recorded in {@link #outside}.
 *
 * @param cells   cells per side k
 * @param box     half-width of the box
 * @param centres centres of the non-empty cells (one row each)
 * @param counts  number of points in each non-empty cell (same order)
 * @param total   number of points
 * @param outside number of points that lay outside the box
 */
public record GridHistogram(int cells, double box, Batch centres, long[] counts, long total, long outside) {
    /** Largest number of cells k^d accepted. */
    public static final long MAX_CELLS = 1L << 24;

    /** The histogram of a sample on the k^d grid over [−box, box]^d. */
    public static GridHistogram of(Batch x, int cells, double box) {
        if (cells < 1) {
            throw new InvalidInputException("grid cells per side must be >= 1, got " + cells);
        }
        if (!(box > 0) || !Double.isFinite(box)) {
            throw new InvalidInputException("grid box half-width must be positive and finite, got " + box);
        }
        if (x.size() == 0) {
            throw new InvalidInputException("empty sample (n = 0)");
        }
        x.requireFinite("sample");
        int d = x.dim();
        double nCells = Math.pow(cells, d);
        if (nCells > MAX_CELLS) {
            throw new InvalidInputException("grid of " + cells + "^" + d + " cells is too large (limit " + MAX_CELLS + ")");
        }
        double h = 2 * box / cells;
        long[] all = new long[(int) nCells];
        long out = 0;
        for (int i = 0; i < x.size(); i++) {
            int lin = 0;
            boolean outsidePoint = false;
            for (int k = 0; k < d; k++) {
                double v = x.get(i, k);
                if (v < -box || v > box) {
                    outsidePoint = true;
                }
                lin = lin * cells + Binning.clamped(v, -box, h, cells);
            }
            if (outsidePoint) {
                out++;
            }
            all[lin]++;
        }
        int nonEmpty = 0;
        for (long c : all) {
            if (c > 0) {
                nonEmpty++;
            }
        }
        Batch centres = Batch.zeros(nonEmpty, d);
        long[] counts = new long[nonEmpty];
        int r = 0;
        for (int lin = 0; lin < all.length; lin++) {
            if (all[lin] > 0) {
                int rest = lin;
                for (int k = d - 1; k >= 0; k--) {
                    int c = rest % cells;
                    rest /= cells;
                    centres.set(r, k, -box + (c + 0.5) * h);
                }
                counts[r++] = all[lin];
            }
        }
        return new GridHistogram(cells, box, centres, counts, x.size(), out);
    }

    /**
     * The histogram as a normalised density on its 2-D grid ({@link Grid#of2d} over [−box, box]², cell values
     * count / (total · cell area); empty cells 0), e.g. to draw it. Only for d = 2.
     */
    public GridDensity density() {
        if (dim() != 2) {
            throw new InvalidInputException("a grid density of a histogram needs d = 2, got d = " + dim());
        }
        Grid grid = Grid.of2d(-box, box, cells);
        GridDensity g = GridDensity.zeros(grid, 0);
        double[] v = g.values();
        double h = 2 * box / cells;
        for (int r = 0; r < counts.length; r++) {
            int c0 = Binning.clamped(centres.get(r, 0), -box, h, cells);
            int c1 = Binning.clamped(centres.get(r, 1), -box, h, cells);
            v[c0 * cells + c1] += counts[r] / (total * grid.cellVolume());
        }
        return g;
    }

    public int dim() {
        return centres.dim();
    }

    /** True when both histograms use the same grid. */
    public boolean sameGrid(GridHistogram o) {
        return cells == o.cells && box == o.box && dim() == o.dim();
    }

    /** e.g. {@code 64^2 cells on [-3.5, 3.5]^2}. */
    public String describe() {
        return cells + "^" + dim() + " cells on [" + (-box) + ", " + box + "]^" + dim();
    }
}
