package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/**
 * {@link DataSets#iidSample}: moons alternates its two half circles, so every generated set holds exactly n/2 of each;
 * n iid draws of the law hold Binomial(n, 1/2) upper-moon points, variance n/4. A point's moon is the nearer arc: the
 * arcs are 0.5 apart at their closest and the noise sd 0.05, so a point is misassigned with probability below 3e-7.
 */
class IidSampleTest {
    private static int upperMoon(Batch b) {
        int c = 0;
        for (int i = 0; i < b.size(); i++) {
            double x = b.data()[2 * i];
            double y = b.data()[2 * i + 1];
            c += arcDistance(x, y, -0.5, -0.25, 1) < arcDistance(x, y, 0.5, 0.25, -1) ? 1 : 0;
        }
        return c;
    }

    /**
     * Distance from (x, y) to the half circle (cx + s·cos a, cy + s·sin a), a ∈ [0, π]: to the full circle where the
     * point is on the arc's side of the diameter, else to the nearer end point (cx ± 1, cy).
     */
    private static double arcDistance(double x, double y, double cx, double cy, double s) {
        if (s * (y - cy) >= 0) {
            return Math.abs(Math.hypot(x - cx, y - cy) - 1);
        }
        return Math.min(Math.hypot(x - cx - 1, y - cy), Math.hypot(x - cx + 1, y - cy));
    }

    @Test
    void componentCountsAreBinomialWhereTheGeneratorIsBalanced() {
        DataSet ds = DataSets.parse("moons:n=100,seed=0");
        int n = 100;
        int reps = 200;
        double sum = 0;
        double sum2 = 0;
        for (int r = 0; r < reps; r++) {
            assertThat(upperMoon(DataSets.redraw(ds, n, 10 + r).points())).isEqualTo(n / 2);
            int c = upperMoon(DataSets.iidSample(ds, n, 10 + r));
            sum += c;
            sum2 += (double) c * c;
        }
        double mean = sum / reps;
        double var = (sum2 - reps * mean * mean) / (reps - 1);
        // mean: 5 standard errors of √(n/4 / reps); variance: hypergeometric n/4·(1 − (n−1)/(64n−1)) = 24.6, and the
        // sample variance of 200 counts has relative sd √(2/199) ≈ 0.1: within 5 of them
        assertThat(Math.abs(mean - n / 2.0)).isLessThan(5 * Math.sqrt(n / 4.0 / reps));
        double expected = n / 4.0 * (1 - (n - 1.0) / (DataSets.IID_POOL_FACTOR * n - 1.0));
        assertThat(var).isBetween(expected * (1 - 5 * Math.sqrt(2.0 / (reps - 1))), expected * (1 + 5 * Math.sqrt(2.0 / (reps - 1))));
    }

    @Test
    void reproducibleAndRefusedForFixedSets() {
        DataSet ds = DataSets.parse("moons:n=50,seed=0");
        assertThat(DataSets.iidSample(ds, 40, 3).data()).containsExactly(DataSets.iidSample(ds, 40, 3).data());
        assertThat(DataSets.iidSample(ds, 40, 4).data()).isNotEqualTo(DataSets.iidSample(ds, 40, 3).data());
        assertThatThrownBy(() -> DataSets.iidSample(DataSets.parse("digits:n=10"), 5, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DataSets.iidSample(ds, 0, 1)).isInstanceOf(InvalidInputException.class);
    }
}
