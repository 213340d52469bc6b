package org.pdediff.core;

import java.nio.file.Path;

/**
 * A density on a {@link Grid} as cell averages (so that Σ values·|cell| is the mass), at a time t of the forward
 * process (the time label; for reverse solutions, the forward time t = T − τ the law belongs to). The values array is
 * shared, not copied: treat it as read-only unless you made it.
 *
 * <p>Norms and divergences are the grid (midpoint) quadratures of their integrals: ‖p‖_p = (Σ|p_i|^p |cell|)^{1/p},
 * KL(p‖q) = Σ p_i log(p_i/q_i)|cell| over cells where p_i &gt; 0, H(p) = −Σ p_i log p_i |cell|.
 */
public record GridDensity(Grid grid, double[] values, double t) {
    public GridDensity {
        if (values.length != grid.cells()) {
            throw new InvalidInputException("density has " + values.length + " values for a grid of " + grid.cells() + " cells");
        }
    }

    /** A zero density on a grid. */
    public static GridDensity zeros(Grid grid, double t) {
        return new GridDensity(grid, new double[grid.cells()], t);
    }

    /** A copy with its own array. */
    public GridDensity copy() {
        return new GridDensity(grid, values.clone(), t);
    }

    /** The same values with another time label. */
    public GridDensity at(double time) {
        return new GridDensity(grid, values, time);
    }

    /** Σ p_i |cell| (with compensated summation, so that mass tests can see rounding only). */
    public double mass() {
        return kahanSum(values) * grid.cellVolume();
    }

    /** Smallest value (negative values reveal a loss of positivity). */
    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Largest value. */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** A copy scaled to mass 1. */
    public GridDensity normalised() {
        double z = mass();
        if (!(z > 0)) {
            throw new InvalidInputException("cannot normalise a density of mass " + z);
        }
        double[] o = values.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] /= z;
        }
        return new GridDensity(grid, o, t);
    }

    /** The L^p norm (p ≥ 1, or {@code Double.POSITIVE_INFINITY}). */
    public double lpNorm(double p) {
        if (!(p >= 1)) {
            throw new InvalidInputException("L^p norm needs p >= 1, got " + p);
        }
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double v : values) {
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }
        double s = 0;
        for (double v : values) {
            s += Math.pow(Math.abs(v), p);
        }
        return Math.pow(s * grid.cellVolume(), 1 / p);
    }

    /** ‖this − other‖_p on the same grid. */
    public double lpDistance(GridDensity other, double p) {
        return minus(other).lpNorm(p);
    }

    /** ‖this − other‖₁. */
    public double l1Distance(GridDensity other) {
        return lpDistance(other, 1);
    }

    /** ‖this − other‖₂. */
    public double l2Distance(GridDensity other) {
        return lpDistance(other, 2);
    }

    /** ‖this − other‖_∞ (largest cell difference). */
    public double linfDistance(GridDensity other) {
        return lpDistance(other, Double.POSITIVE_INFINITY);
    }

    /** this − other, same grid. */
    public GridDensity minus(GridDensity other) {
        requireSameGrid(other);
        double[] o = new double[values.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = values[i] - other.values[i];
        }
        return new GridDensity(grid, o, t);
    }

    /**
     * KL(this ‖ other) = Σ p log(p/q)|cell| over cells with p &gt; 0; +∞ if q ≤ 0 where p &gt; 0. Both are used as
     * given (normalise first if they are not probability densities).
     */
    public double kl(GridDensity other) {
        requireSameGrid(other);
        double s = 0;
        for (int i = 0; i < values.length; i++) {
            double p = values[i];
            if (p > 0) {
                double q = other.values[i];
                if (!(q > 0)) {
                    return Double.POSITIVE_INFINITY;
                }
                s += p * Math.log(p / q);
            }
        }
        return s * grid.cellVolume();
    }

    /** Differential entropy −Σ p log p |cell| (cells with p ≤ 0 contribute nothing). */
    public double entropy() {
        double s = 0;
        for (double p : values) {
            if (p > 0) {
                s -= p * Math.log(p);
            }
        }
        return s * grid.cellVolume();
    }

    /** Writes the density as CSV: header {@code x1[,x2],density}, one cell a row in storage order, atomically. */
    public void writeCsv(Path file) {
        AtomicFiles.write(file, out -> {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
            int d = grid.dim();
            w.write(d == 1 ? "x1,density\n" : "x1,x2,density\n");
            StringBuilder sb = new StringBuilder(64);
            for (int k = 0; k < values.length; k++) {
                sb.setLength(0);
                if (d == 1) {
                    sb.append(grid.centre(0, k));
                } else {
                    int n1 = grid.n(1);
                    sb.append(grid.centre(0, k / n1)).append(',').append(grid.centre(1, k % n1));
                }
                sb.append(',').append(values[k]).append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }

    void requireSameGrid(GridDensity other) {
        if (!grid.sameAs(other.grid)) {
            throw new InvalidInputException("densities live on different grids: " + grid.describe() + " vs " + other.grid.describe());
        }
    }

    static double kahanSum(double[] a) {
        double s = 0;
        double c = 0;
        for (double v : a) {
            double y = v - c;
            double u = s + y;
            c = (u - s) - y;
            s = u;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GridDensity g && g.grid.sameAs(grid) && g.t == t && java.util.Arrays.equals(g.values, values);
    }

    @Override
    public int hashCode() {
        return grid.hashCode() * 31 + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "GridDensity(" + grid.describe() + ", t=" + t + ", mass=" + mass() + ")";
    }
}
