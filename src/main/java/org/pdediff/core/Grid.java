package org.pdediff.core;

import java.util.Arrays;

/**
 * A uniform cell-centred grid on a box in d = 1 or 2 dimensions. Cell (i₀, i₁) covers
 * [lo₀ + i₀h₀, lo₀ + (i₀+1)h₀) × [lo₁ + i₁h₁, lo₁ + (i₁+1)h₁); values live at cells as cell averages, stored flat with
 * the first coordinate slowest: {@code index = i₀·n₁ + i₁} (1-D: {@code index = i₀}).
 *
 * @param lo lower corner, length d
 * @param hi upper corner, length d
 * @param n  cells per axis, length d, each ≥ 3
 */
public record Grid(double[] lo, double[] hi, int[] n) {
    public Grid {
        if (lo.length != hi.length || lo.length != n.length || lo.length < 1 || lo.length > 2) {
            throw new InvalidInputException("grids are 1-D or 2-D with matching box and size, got d=" + lo.length);
        }
        for (int j = 0; j < lo.length; j++) {
            if (!(hi[j] > lo[j]) || !Double.isFinite(lo[j]) || !Double.isFinite(hi[j])) {
                throw new InvalidInputException("grid box axis " + j + " is empty or not finite: [" + lo[j] + ", " + hi[j] + "]");
            }
            if (n[j] < 3) {
                throw new InvalidInputException("grid needs at least 3 cells per axis, got " + n[j]);
            }
        }
        lo = lo.clone();
        hi = hi.clone();
        n = n.clone();
        if ((long) n[0] * (n.length == 2 ? n[1] : 1) > 50_000_000L) {
            throw new InvalidInputException("grid of " + Arrays.toString(n) + " cells is too large");
        }
    }

    /** A 1-D grid of {@code n} cells on [lo, hi]. */
    public static Grid of1d(double lo, double hi, int n) {
        return new Grid(new double[] {lo}, new double[] {hi}, new int[] {n});
    }

    /** A square-celled-per-axis 2-D grid with n × n cells on [lo, hi]². */
    public static Grid of2d(double lo, double hi, int n) {
        return new Grid(new double[] {lo, lo}, new double[] {hi, hi}, new int[] {n, n});
    }

    /** A 2-D grid with n₀ × n₁ cells on [lo₀, hi₀] × [lo₁, hi₁]. */
    public static Grid of2d(double lo0, double hi0, int n0, double lo1, double hi1, int n1) {
        return new Grid(new double[] {lo0, lo1}, new double[] {hi0, hi1}, new int[] {n0, n1});
    }

    @Override
    public double[] lo() {
        return lo.clone();
    }

    @Override
    public double[] hi() {
        return hi.clone();
    }

    @Override
    public int[] n() {
        return n.clone();
    }

    /** The dimension d. */
    public int dim() {
        return n.length;
    }

    /** Cells along axis j. */
    public int n(int j) {
        return n[j];
    }

    public double lo(int j) {
        return lo[j];
    }

    public double hi(int j) {
        return hi[j];
    }

    /** Cell width along axis j. */
    public double h(int j) {
        return (hi[j] - lo[j]) / n[j];
    }

    /** The smallest cell width. */
    public double hMin() {
        double m = h(0);
        for (int j = 1; j < dim(); j++) {
            m = Math.min(m, h(j));
        }
        return m;
    }

    /**
     * Number of grid lines along axis j (the 1-D problems an axis splits into): 1 in 1-D, the other axis's count in
     * 2-D. Line {@code line} starts at cell {@link #lineStart} and steps by {@link #stride} cells.
     */
    public int lines(int j) {
        return dim() == 1 ? 1 : n[1 - j];
    }

    /** Index step between neighbouring cells along axis j (storage has the first coordinate slowest). */
    public int stride(int j) {
        return dim() == 2 && j == 0 ? n[1] : 1;
    }

    /** Index of the first cell of grid line {@code line} along axis j. */
    public int lineStart(int j, int line) {
        return dim() == 2 && j == 0 ? line : line * n[j];
    }

    /** The first cells of all grid lines along axis j, in line order: {@link #lineStart}(j, 0 … lines(j) − 1). */
    public int[] lineStarts(int j) {
        int[] starts = new int[lines(j)];
        for (int line = 0; line < starts.length; line++) {
            starts[line] = lineStart(j, line);
        }
        return starts;
    }

    /** Total number of cells. */
    public int cells() {
        return dim() == 1 ? n[0] : n[0] * n[1];
    }

    /** Volume (length, area) of one cell. */
    public double cellVolume() {
        double v = 1;
        for (int j = 0; j < dim(); j++) {
            v *= h(j);
        }
        return v;
    }

    /** Centre coordinate of cell i along axis j. */
    public double centre(int j, int i) {
        return lo[j] + (i + 0.5) * h(j);
    }

    /** Position of the face between cells i−1 and i along axis j (i = 0..n). */
    public double face(int j, int i) {
        return lo[j] + i * h(j);
    }

    /** Centres of axis j. */
    public double[] axis(int j) {
        double[] c = new double[n[j]];
        for (int i = 0; i < n[j]; i++) {
            c[i] = centre(j, i);
        }
        return c;
    }

    /** All cell centres as one batch (cells × d), in storage order: evaluate score models on it in one call. */
    public Batch centres() {
        int d = dim();
        Batch b = Batch.zeros(cells(), d);
        double[] a = b.data();
        if (d == 1) {
            for (int i = 0; i < n[0]; i++) {
                a[i] = centre(0, i);
            }
        } else {
            int k = 0;
            for (int i = 0; i < n[0]; i++) {
                double x = centre(0, i);
                for (int j = 0; j < n[1]; j++) {
                    a[k++] = x;
                    a[k++] = centre(1, j);
                }
            }
        }
        return b;
    }

    /** Index of the cell containing point x (length d), or −1 when x is outside the box ({@link Binning#inside}). */
    public int cellOf(double[] x) {
        int idx = 0;
        for (int j = 0; j < dim(); j++) {
            int c = Binning.inside(x[j], lo[j], h(j), n[j]);
            if (c < 0) {
                return -1;
            }
            idx = idx * n[j] + c;
        }
        return idx;
    }

    /** Index of the cell containing row i of x, points outside the box going to the nearest edge cell ({@link Binning#clamped}). */
    public int nearestCellOf(Batch x, int i) {
        int idx = 0;
        for (int j = 0; j < dim(); j++) {
            idx = idx * n[j] + Binning.clamped(x.get(i, j), lo[j], h(j), n[j]);
        }
        return idx;
    }

    /** Whether the two grids have the same box and cell counts. */
    public boolean sameAs(Grid o) {
        return Arrays.equals(lo, o.lo) && Arrays.equals(hi, o.hi) && Arrays.equals(n, o.n);
    }

    /** A short description, e.g. {@code [-4,4]x[-4,4] 256x256}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < dim(); j++) {
            sb.append(j > 0 ? "x" : "").append('[').append(lo[j]).append(',').append(hi[j]).append(']');
        }
        sb.append(' ');
        for (int j = 0; j < dim(); j++) {
            sb.append(j > 0 ? "x" : "").append(n[j]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && sameAs(g);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(lo) + Arrays.hashCode(hi)) + Arrays.hashCode(n);
    }

    @Override
    public String toString() {
        return "Grid(" + describe() + ")";
    }
}
