package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.Support;

class MemorizationTest {
    @Test
    void kdTreeEqualsBruteForce() {
        for (int d : new int[] {1, 2, 5, 64}) {
            Batch train = TestData.gaussian(700, d, 0, 1, d, "train");
            Batch samples = TestData.gaussian(300, d, 0.1, 1.2, d, "samples");
            Memorization.Result r = Memorization.compute(samples, train);
            for (int i = 0; i < samples.size(); i++) {
                double b1 = Double.POSITIVE_INFINITY;
                double b2 = Double.POSITIVE_INFINITY;
                int bi = -1;
                for (int k = 0; k < train.size(); k++) {
                    double s = GroundCost.SQUARED_EUCLIDEAN.cost(samples, i, train, k);
                    if (s < b1) {
                        b2 = b1;
                        b1 = s;
                        bi = k;
                    } else if (s < b2) {
                        b2 = s;
                    }
                }
                assertThat(r.nearest()[i]).isEqualTo(bi);
                assertThat(r.d1()[i]).isEqualTo(Math.sqrt(b1));
                assertThat(r.d2()[i]).isEqualTo(Math.sqrt(b2));
            }
        }
    }

    @Test
    void copiesAreCountedExactly() {
        // 30 samples: 20 exact copies of training point 3, 10 copies of point 7 shifted by 0.5 (beyond δ)
        Batch train = TestData.gaussian(50, 2, 0, 1, 4, "train");
        Batch samples = Batch.zeros(30, 2);
        for (int i = 0; i < 30; i++) {
            int src = i < 20 ? 3 : 7;
            samples.set(i, 0, train.get(src, 0) + (i < 20 ? 0 : 0.5));
            samples.set(i, 1, train.get(src, 1));
        }
        Memorization.Result r = Memorization.compute(samples, train);
        assertThat(r.delta()).isEqualTo(1e-2 * train.rmsRadius());
        long sum = 0;
        for (long h : r.hitCounts()) {
            sum += h;
        }
        assertThat(sum).isEqualTo(30);
        assertThat(r.hitCounts()[3]).isEqualTo(20);
        assertThat(r.fractionWithin()).isEqualTo(20.0 / 30);
        // the copies have d₁ = 0 < d₂/3
        assertThat(r.ratioBelowThird()).isGreaterThanOrEqualTo(20.0 / 30);
        assertThat(r.meanNearestDist()).isLessThanOrEqualTo(10 * 0.5 / 30 + 1e-15);
        assertThat(r.distinctNearest()).isGreaterThanOrEqualTo(1);
        assertThat(r.maxHits()).isEqualTo(20);
        assertThatThrownBy(() -> Memorization.compute(samples, train, -0.1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void hitCountsSumToNOnRandomData() {
        Batch train = TestData.gaussian(400, 3, 0, 1, 9, "train");
        Batch samples = TestData.gaussian(1000, 3, 0, 1, 9, "s");
        Memorization.Result r = Memorization.compute(samples, train, 0.3);
        long sum = 0;
        for (long h : r.hitCounts()) {
            sum += h;
        }
        assertThat(sum).isEqualTo(1000);
        assertThat(r.delta()).isEqualTo(0.3);
    }

    @Test
    void supportDistanceOfRingsAroundTheUnitCircle() {
        // points at radius 1 + r_i: dist = |r_i|; mean and RMS follow
        double[] radii = {0.5, -0.25, 0, 2};
        Batch x = Batch.zeros(4, 2);
        for (int i = 0; i < 4; i++) {
            double t = 0.3 + i;
            x.set(i, 0, (1 + radii[i]) * Math.cos(t));
            x.set(i, 1, (1 + radii[i]) * Math.sin(t));
        }
        SupportDistance.Result r = SupportDistance.compute(x, Support.sphere(1));
        assertThat(r.meanDist()).isCloseTo((0.5 + 0.25 + 0 + 2) / 4, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(r.rmsDist()).isCloseTo(Math.sqrt((0.25 + 0.0625 + 4) / 4), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(r.maxDist()).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-15));
    }
}
