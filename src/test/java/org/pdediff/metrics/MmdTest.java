package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

class MmdTest {
    private static final int REPS = 40;

    @Test
    void handComputedTwoPointCase() {
        // a = {0, 1}, b = {0, 3} in 1-D, h = 1: k(0,1) = e^{-1/2}, k(0,3) = e^{-9/2}, k(1,0) = e^{-1/2}, k(1,3) = e^{-2}
        Batch a = Batch.ofRows(new double[] {0}, new double[] {1});
        Batch b = Batch.ofRows(new double[] {0}, new double[] {3});
        double expect = Math.exp(-0.5) + Math.exp(-4.5) - 2 * (1 + Math.exp(-4.5) + Math.exp(-0.5) + Math.exp(-2)) / 4;
        assertThat(Mmd.mmd2(a, b, 1.0).mmd2()).isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-15));
        // energy: 2·mean|a−b| − mean_{i≠j}|a_i−a_j| − mean_{i≠j}|b_i−b_j| = 2·(0+3+1+2)/4 − 1 − 3 = −1
        assertThat(Mmd.energy(a, b).energySq()).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void unbiasedForOneLawAndMatchesTheGaussianClosedForm() {
        // Same law: E[MMD²_u] = 0. Different means Δ, same σ² I in d dims, bandwidth h:
        // MMD² = 2 (h²/(h²+2σ²))^{d/2} (1 − exp(−|Δ|²/(2(h²+2σ²)))). The mean of REPS independent estimates must lie
        // within 4 standard errors (sample std / √REPS) of the truth.
        int d = 2;
        double h = 1;
        double[] same = new double[REPS];
        double[] diff = new double[REPS];
        double[] energy = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            Batch x = TestData.gaussian(150, d, 0, 1, r, "x");
            Batch y = TestData.gaussian(120, d, 0, 1, r, "y");
            Batch z = TestData.gaussian(120, d, 0.5, 1, r, "z");
            same[r] = Mmd.mmd2(x, y, h).mmd2();
            diff[r] = Mmd.mmd2(x, z, h).mmd2();
            energy[r] = Mmd.energy(x, y).energySq();
        }
        assertWithin(same, 0);
        assertWithin(energy, 0);
        double s2 = 1;
        double delta2 = d * 0.25;
        double truth = 2 * Math.pow(h * h / (h * h + 2 * s2), d / 2.0) * (1 - Math.exp(-delta2 / (2 * (h * h + 2 * s2))));
        assertWithin(diff, truth);
        assertThat(mean(diff)).isGreaterThan(0);
    }

    private static void assertWithin(double[] v, double truth) {
        double m = mean(v);
        double var = 0;
        for (double x : v) {
            var += (x - m) * (x - m);
        }
        double se = Math.sqrt(var / (v.length - 1) / v.length);
        assertThat(Math.abs(m - truth)).isLessThanOrEqualTo(4 * se);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void defaultBandwidthsAreTheMedianTimesHalfOneTwo() {
        Batch x = TestData.gaussian(100, 2, 0, 1, 1, "x");
        Batch y = TestData.gaussian(100, 2, 1, 1, 1, "y");
        double med = Mmd.medianBandwidth(x, y);
        Mmd.Result r = Mmd.mmd2(x, y);
        assertThat(r.bandwidths()).containsExactly(0.5 * med, med, 2 * med);
        assertThat(r.mmd2()).isCloseTo(r.perBandwidth()[0] + r.perBandwidth()[1] + r.perBandwidth()[2],
                org.assertj.core.data.Offset.offset(1e-15));
        assertThatThrownBy(() -> Mmd.mmd2(x, y, -1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Mmd.mmd2(x.rows(0, 1), y)).isInstanceOf(InvalidInputException.class);
    }
}
