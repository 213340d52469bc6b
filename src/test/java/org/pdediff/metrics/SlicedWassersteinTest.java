package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;

class SlicedWassersteinTest {
    @Test
    void translateGivesTheMeanSquaredProjectionOfV() {
        // Every projection of a translate is the 1-D translate by θ·v, so SW2² = (1/L) Σ_l (θ_l·v)² exactly.
        Batch a = TestData.gaussian(5000, 3, 0, 1, 5, "a");
        double[] v = {0.5, -1, 2};
        SlicedWasserstein.Result r = SlicedWasserstein.compute(a, TestData.translate(a, v), 40, 11);
        Batch dirs = r.directions();
        assertThat(dirs.size()).isEqualTo(40);
        double expect = 0;
        for (int l = 0; l < 40; l++) {
            double dot = 0;
            double norm = 0;
            for (int k = 0; k < 3; k++) {
                dot += dirs.get(l, k) * v[k];
                norm += dirs.get(l, k) * dirs.get(l, k);
            }
            assertThat(norm).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-14));
            expect += dot * dot / 40;
        }
        // per point the translate is computed with one rounding: relative error a few ulps of |x|·|v|
        assertThat(r.w2Sq()).isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.seed()).isEqualTo(11);
        // the same seed gives the same directions and value
        assertThat(SlicedWasserstein.compute(a, TestData.translate(a, v), 40, 11).w2Sq()).isEqualTo(r.w2Sq());
    }

    @Test
    void manyDirectionsGiveTheIsotropicAverage() {
        // E_θ (θ·v)² = |v|²/d for θ uniform on the sphere; with L directions the estimate has standard error
        // ≤ |v|²·√(Var((θ·v)²)/L) ≤ |v|²/√L: demand agreement within 4 standard errors (L = 2,000 → 0.09·|v|²).
        Batch a = TestData.gaussian(200, 2, 0, 1, 6, "a");
        SlicedWasserstein.Result r = SlicedWasserstein.compute(a, TestData.translate(a, 3, 4), 2000, 1);
        assertThat(r.w2Sq()).isCloseTo(25.0 / 2, org.assertj.core.data.Offset.offset(4 * 25 / Math.sqrt(2000)));
        assertThat(r.standardError()).isGreaterThan(0);
    }

    @Test
    void slicedIsAtMostExactW2() {
        Batch a = TestData.gaussian(300, 2, 0, 1, 1, "a");
        Batch b = TestData.gaussian(300, 2, 1, 0.5, 1, "b");
        double exact = Wasserstein.exact(a, b).value();
        // SW2² ≤ W2²: projecting the optimal coupling gives a coupling of each projection with cost ≤ |x − y|².
        assertThat(SlicedWasserstein.compute(a, b, 100, 3).w2Sq()).isLessThanOrEqualTo(exact * (1 + 1e-12));
    }

    @Test
    void radixSortEqualsArraysSort() {
        for (int trial = 0; trial < 5; trial++) {
            int n = 1000 + 3000 * trial;
            double[] v = new double[n];
            long p = RandomStream.of(trial).particle(0);
            for (int i = 0; i < n; i++) {
                double u = RandomStream.normalAt(p, i);
                // ties, negative zero, values equal in float but not in double, wide exponents
                v[i] = switch (i % 5) {
                    case 0 -> Math.rint(u * 3);
                    case 1 -> 1 + u * 1e-12;
                    case 2 -> i % 10 == 2 ? -0.0 : 0.0;
                    case 3 -> u * 1e30;
                    default -> u;
                };
            }
            double[] out = new double[n];
            SlicedWasserstein.sort(v, out, new long[n], new long[n]);
            double[] ref = v.clone();
            Arrays.sort(ref);
            for (int i = 0; i < n; i++) {
                assertThat(out[i] == ref[i]).as("index %d", i).isTrue(); // −0.0 == 0.0: order among zeros is free
            }
        }
    }

    @Test
    void unequalSizesUseTheQuantileMerge() {
        // a = 100 copies of x, b = 250 copies of x + 2 (as multisets): SW2² = mean (2·θ₁)² = 4·mean θ₁².
        Batch a = Batch.zeros(100, 2);
        Batch b = Batch.zeros(250, 2);
        for (int i = 0; i < 100; i++) {
            a.set(i, 0, i % 10);
            a.set(i, 1, i % 7);
        }
        for (int i = 0; i < 250; i++) {
            b.set(i, 0, (i % 10) + 2);
            b.set(i, 1, i % 7);
        }
        // the multisets differ in multiplicities (i % 10, i % 7 pairs), so compare with the exact quantile formula
        SlicedWasserstein.Result r = SlicedWasserstein.compute(a, b, 10, 2);
        double expect = 0;
        for (int l = 0; l < 10; l++) {
            double[] pa = new double[100];
            double[] pb = new double[250];
            for (int i = 0; i < 100; i++) {
                pa[i] = a.get(i, 0) * r.directions().get(l, 0) + a.get(i, 1) * r.directions().get(l, 1);
            }
            for (int i = 0; i < 250; i++) {
                pb[i] = b.get(i, 0) * r.directions().get(l, 0) + b.get(i, 1) * r.directions().get(l, 1);
            }
            expect += Wasserstein.quantiles1d(pa, pb, GroundCost.SQUARED_EUCLIDEAN).value() / 10;
        }
        assertThat(r.w2Sq()).isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-12 * expect));
    }
}
