package org.pdediff.metrics;

import java.util.stream.IntStream;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/**
 * Memorisation diagnostics (MATH.md §8): for each generated sample y_i, d₁ and d₂ = distances to its nearest and
 * second-nearest training point. Reported: mean d₁; the fraction with d₁ &lt; δ (default δ = 10⁻² × the training
 * data's RMS radius √(mean |x|²)); the fraction with d₁/d₂ &lt; 1/3 (a sample much closer to one training point than
 * to any other, with 0/0 := 0: a copy of a duplicated point); and the number of samples whose nearest training point
 * is each training point. Nearest neighbours by an exact k-d tree ({@link KdTree}), queries in parallel.
 */
public final class Memorization {
    /** Default δ as a fraction of the training data's RMS radius. */
    public static final double DEFAULT_DELTA_FRACTION = 1e-2;

    private Memorization() {
    }

    /**
     * The statistics.
     *
     * @param meanNearestDist mean d₁
     * @param fractionWithin  fraction of samples with d₁ &lt; δ
     * @param delta           δ
     * @param ratioBelowThird fraction with d₁/d₂ &lt; 1/3 (NaN with a single training point)
     * @param hitCounts       for each training point, the number of samples whose nearest training point it is
     *                        (sums to the number of samples)
     * @param nearest         per sample: index of its nearest training point
     * @param d1              per sample: distance to the nearest training point
     * @param d2              per sample: distance to the second nearest (+∞ with one training point)
     */
    public record Result(double meanNearestDist, double fractionWithin, double delta, double ratioBelowThird,
                         long[] hitCounts, int[] nearest, double[] d1, double[] d2) {
        /** Number of training points that are the nearest of at least one sample. */
        public int distinctNearest() {
            int c = 0;
            for (long h : hitCounts) {
                if (h > 0) {
                    c++;
                }
            }
            return c;
        }

        /** The largest entry of {@link #hitCounts}. */
        public long maxHits() {
            long m = 0;
            for (long h : hitCounts) {
                m = Math.max(m, h);
            }
            return m;
        }
    }

    /** With the default δ. */
    public static Result compute(Batch samples, Batch train) {
        return compute(samples, train, Double.NaN);
    }

    /** With δ given (NaN: the default 10⁻² × the training data's RMS radius). */
    public static Result compute(Batch samples, Batch train, double delta) {
        Wasserstein.check(samples, train);
        if (!Double.isNaN(delta) && (delta < 0 || !Double.isFinite(delta))) {
            throw new InvalidInputException("memorisation delta must be >= 0 and finite, got " + delta);
        }
        double dl = Double.isNaN(delta) ? DEFAULT_DELTA_FRACTION * train.rmsRadius() : delta;
        KdTree tree = new KdTree(train);
        int n = samples.size();
        int[] nearest = new int[n];
        double[] d1 = new double[n];
        double[] d2 = new double[n];
        double[] x = samples.data();
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] out = new double[2];
            nearest[i] = tree.twoNearest(x, i, out);
            d1[i] = Math.sqrt(out[0]);
            d2[i] = Math.sqrt(out[1]);
        });
        long[] hits = new long[train.size()];
        double sum = 0;
        long within = 0;
        long below = 0;
        for (int i = 0; i < n; i++) {
            hits[nearest[i]]++;
            sum += d1[i];
            if (d1[i] < dl) {
                within++;
            }
            double ratio = d2[i] == 0 ? 0 : d1[i] / d2[i];
            if (ratio < 1.0 / 3) {
                below++;
            }
        }
        double ratioBelow = train.size() < 2 ? Double.NaN : (double) below / n;
        return new Result(sum / n, (double) within / n, dl, ratioBelow, hits, nearest, d1, d2);
    }
}
