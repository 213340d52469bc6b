package org.pdediff.core;

import java.util.Arrays;

/**
 * A batch of {@code n} points in {@code R^d}, stored row-major in one {@code double[]} (row = one point, the
 * convention of MATH.md §1).
 *
 * <p>A batch is a thin, cheap view over its array so that hot loops can work on primitives without per-point
 * objects. Contract (in the style of EJML): methods that <em>modify</em> the receiver say so in their javadoc; every
 * other method leaves it unchanged. {@link #data()} exposes the backing array without copying: callers that are
 * handed a batch they did not create must not write to it unless the method they implement says "modified".
 */
public final class Batch {
    private final int n;
    private final int d;
    private final double[] data;

    private Batch(int n, int d, double[] data) {
        this.n = n;
        this.d = d;
        this.data = data;
    }

    /** A new zero batch of {@code n} points in dimension {@code d}. */
    public static Batch zeros(int n, int d) {
        if (n < 0 || d <= 0) {
            throw new IllegalArgumentException("batch shape must be n >= 0, d > 0, got " + n + " x " + d);
        }
        return new Batch(n, d, new double[Sizes.doubles("a batch of " + n + " points in d = " + d, n, d)]);
    }

    /** Wraps (does not copy) a row-major array of length {@code n*d}. */
    public static Batch wrap(double[] data, int n, int d) {
        if (d <= 0 || n < 0 || data.length != (long) n * d) {
            throw new IllegalArgumentException("array of length " + data.length + " is not " + n + " x " + d);
        }
        return new Batch(n, d, data);
    }

    /** A batch holding copies of the given rows; all rows must have the same length. */
    public static Batch ofRows(double[]... rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("ofRows needs at least one row");
        }
        int d = rows[0].length;
        Batch b = zeros(rows.length, d);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has length " + rows[i].length + ", expected " + d);
            }
            System.arraycopy(rows[i], 0, b.data, i * d, d);
        }
        return b;
    }

    /** Number of points. */
    public int size() {
        return n;
    }

    /** Dimension of each point. */
    public int dim() {
        return d;
    }

    /** The backing row-major array (not a copy). */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[i * d + j];
    }

    /** Modifies the receiver: sets entry (i, j). */
    public void set(int i, int j, double v) {
        data[i * d + j] = v;
    }

    /** A copy of row {@code i}. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * d, (i + 1) * d);
    }

    /** A deep copy. */
    public Batch copy() {
        return new Batch(n, d, data.clone());
    }

    /** A copy of rows {@code [from, to)}. */
    public Batch rows(int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + n);
        }
        return new Batch(to - from, d, Arrays.copyOfRange(data, from * d, to * d));
    }

    /** Modifies the receiver: copies {@code src} into rows starting at {@code row}. */
    public void setRows(int row, Batch src) {
        if (src.d != d || row < 0 || row + src.n > n) {
            throw new IllegalArgumentException("cannot place " + src.n + " x " + src.d + " at row " + row + " of " + n + " x " + d);
        }
        System.arraycopy(src.data, 0, data, row * d, src.data.length);
    }

    /** Column means. */
    public double[] mean() {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= n;
        }
        return m;
    }

    /** Sample covariance (divisor n − 1), row-major d × d. */
    public double[] covariance() {
        double[] m = mean();
        double[] c = new double[Sizes.doubles("a " + d + " x " + d + " covariance", d, d)];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int a = 0; a < d; a++) {
                double xa = data[o + a] - m[a];
                for (int b = a; b < d; b++) {
                    c[a * d + b] += xa * (data[o + b] - m[b]);
                }
            }
        }
        double div = Math.max(1, n - 1);
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                c[a * d + b] /= div;
                c[b * d + a] = c[a * d + b];
            }
        }
        return c;
    }

    /** Root mean square of |x_i| over the batch. */
    public double rmsRadius() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return n == 0 ? 0 : Math.sqrt(s / n);
    }

    /** Index of the first non-finite entry, or −1 if all entries are finite. */
    public int firstNonFinite() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Throws {@link InvalidInputException} naming the point and coordinate if any entry is NaN or infinite.
     *
     * @param what what the batch is, for the message (e.g. "data set moons")
     */
    public Batch requireFinite(String what) {
        int k = firstNonFinite();
        if (k >= 0) {
            throw new InvalidInputException(what + ": non-finite value " + data[k] + " at point " + (k / d + 1)
                    + ", coordinate " + (k % d + 1));
        }
        return this;
    }

    /** Throws {@link InvalidInputException} unless the dimension is {@code expected}. */
    public Batch requireDim(int expected, String what) {
        if (d != expected) {
            throw new InvalidInputException(what + ": dimension " + d + " does not match the expected " + expected);
        }
        return this;
    }

    @Override
    public String toString() {
        return "Batch[" + n + " x " + d + "]";
    }
}
