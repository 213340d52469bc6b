package org.pdediff.core;

/**
 * The one binning rule of every histogram (grid histograms of samples for W2, particle histograms on PDE grids, plot
 * histograms): on an axis of n cells of width h starting at lo, the value v lies in cell ⌊(v − lo)/h⌋. Points outside
 * [lo, lo + nh) are either dropped ({@link #inside}) or put in the nearest edge cell ({@link #clamped}, mass kept).
 */
public final class Binning {
    private Binning() {
    }

    /** ⌊(v − lo)/h⌋, clamped to [0, n − 1] (NaN goes to cell 0). */
    public static int clamped(double v, double lo, double h, int n) {
        return Math.max(0, Math.min(n - 1, (int) Math.floor((v - lo) / h)));
    }

    /** ⌊(v − lo)/h⌋, or −1 when v is outside [lo, lo + nh) or NaN. */
    public static int inside(double v, double lo, double h, int n) {
        double u = (v - lo) / h;
        if (!(u >= 0) || u >= n) {
            return -1;
        }
        return (int) u;
    }
}
