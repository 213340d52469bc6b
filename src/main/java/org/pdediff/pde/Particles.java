package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.HeatSde;

/**
 * Particles ↔ grid: histograms and Gaussian kernel density estimates of a sample set as grid densities, and the
 * L¹ distance and KL divergence between a sample set and a grid density. (W2 between samples and a grid density
 * belongs with the optimal-transport metrics: {@code metrics.Wasserstein.toGrid}.)
 */
public final class Particles {
    private Particles() {
    }

    /** A histogram with its count of points that fell outside the box. */
    public record Histogram(GridDensity density, int outside) {
    }

    /**
     * The histogram of the points as a density: count_i/(N·|cell|), N = all points (so the mass is the fraction inside
     * the box).
     */
    public static Histogram histogram(Batch points, Grid grid, double t) {
        requireDim(points, grid);
        double[] v = new double[grid.cells()];
        int outside = 0;
        double[] x = new double[grid.dim()];
        double w = 1.0 / (points.size() * grid.cellVolume());
        for (int i = 0; i < points.size(); i++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = points.get(i, j);
            }
            int c = grid.cellOf(x);
            if (c < 0) {
                outside++;
            } else {
                v[c] += w;
            }
        }
        return new Histogram(new GridDensity(grid, v, t), outside);
    }

    /**
     * The Gaussian kernel density estimate (1/N)Σ N(x_i, b²I) as exact cell averages; bandwidth b ≤ 0 selects
     * Scott's rule b = N^{−1/(d+4)}·(mean marginal standard deviation).
     */
    public static GridDensity kde(Batch points, Grid grid, double bandwidth, double t) {
        requireDim(points, grid);
        double b = bandwidth > 0 ? bandwidth : scott(points);
        // (1/N) Σ N(y_j, b² I) is the heat-flow law of the sample at heat time b²/2 (α = 1, σ² = 2t).
        return MixtureLaw.finiteSample(points, new HeatSde(Math.max(1, b * b)), 0.5 * b * b).cellAverages(grid, t);
    }

    /** Scott's bandwidth N^{−1/(d+4)}·(mean marginal standard deviation). */
    public static double scott(Batch points) {
        int d = points.dim();
        int n = points.size();
        if (n < 2) {
            throw new InvalidInputException("a kernel density estimate needs at least 2 points");
        }
        double[] cov = points.covariance();
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Math.sqrt(cov[j * d + j]);
        }
        double b = Math.pow(n, -1.0 / (d + 4)) * s / d;
        if (!(b > 0)) {
            throw new InvalidInputException("the points have zero spread: give a bandwidth");
        }
        return b;
    }

    /** ‖histogram(points) − p‖₁ (points outside the box count through the histogram's missing mass). */
    public static double l1(Batch points, GridDensity p) {
        return histogram(points, p.grid(), p.t()).density().l1Distance(p);
    }

    /**
     * KL(histogram(points) ‖ p) with both normalised on the box: +∞ when a point lands in a cell where p ≤ 0. A
     * plug-in estimate, biased upward by O(cells/N).
     */
    public static double kl(Batch points, GridDensity p) {
        GridDensity h = histogram(points, p.grid(), p.t()).density();
        if (!(h.mass() > 0)) {
            throw new InvalidInputException("no point falls inside the grid's box");
        }
        return h.normalised().kl(p.normalised());
    }

    private static void requireDim(Batch points, Grid grid) {
        if (points.dim() != grid.dim()) {
            throw new InvalidInputException("points of dimension " + points.dim() + " on a " + grid.dim() + "-D grid");
        }
        if (points.size() == 0) {
            throw new InvalidInputException("no points");
        }
    }
}
