package org.pdediff.core;

/** Sample mean and sample standard deviation (n − 1 denominator, two passes), written once. */
public final class SampleStats {
    private SampleStats() {
    }

    public static double mean(double[] v) {
        double m = 0;
        for (double a : v) {
            m += a;
        }
        return m / v.length;
    }

    /** The sample standard deviation; 0 for fewer than two values. */
    public static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double a : v) {
            s += (a - m) * (a - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
