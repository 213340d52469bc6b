package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchTest {
    @Test
    void meanAndCovarianceMatchHandComputation() {
        // x = (1, 3, 5), y = (2, 6, 10): means 3, 6; deviations (−2, 0, 2), (−4, 0, 4);
        // divisor n − 1 = 2: var x = 8/2 = 4, var y = 32/2 = 16, cov = 16/2 = 8. All exact in binary.
        Batch b = Batch.ofRows(new double[] {1, 2}, new double[] {3, 6}, new double[] {5, 10});
        assertThat(b.mean()).containsExactly(3, 6);
        assertThat(b.covariance()).containsExactly(4, 8, 8, 16);
        // a 3-d example with a non-trivial structure: rows e1, e2, e3, 0 → mean 1/4 each;
        // cov_aa = (3·(1/16) + (3/4)²)/3 = 1/4, cov_ab = (2·(−3/16) + 2·(1/16))/3 = −1/12
        Batch c = Batch.ofRows(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1}, new double[] {0, 0, 0});
        assertThat(c.mean()).containsExactly(0.25, 0.25, 0.25);
        double[] cov = c.covariance();
        for (int a = 0; a < 3; a++) {
            for (int q = 0; q < 3; q++) {
                assertThat(cov[a * 3 + q]).isCloseTo(a == q ? 0.25 : -1.0 / 12, org.assertj.core.data.Offset.offset(1e-15));
                assertThat(cov[a * 3 + q]).isEqualTo(cov[q * 3 + a]);
            }
        }
    }

    @Test
    void rowMajorLayoutAndViews() {
        double[] data = {1, 2, 3, 4, 5, 6};
        Batch b = Batch.wrap(data, 3, 2);
        assertThat(b.get(2, 1)).isEqualTo(6);
        assertThat(b.data()).isSameAs(data);
        b.set(0, 1, 9);
        assertThat(data[1]).isEqualTo(9);
        Batch copy = b.copy();
        copy.set(0, 0, -1);
        assertThat(b.get(0, 0)).isEqualTo(1);
        assertThat(b.rows(1, 3).data()).containsExactly(3, 4, 5, 6);
        Batch z = Batch.zeros(4, 2);
        z.setRows(1, b.rows(1, 3));
        assertThat(z.data()).containsExactly(0, 0, 3, 4, 5, 6, 0, 0);
        assertThat(Batch.ofRows(new double[] {3, 4}).rmsRadius()).isEqualTo(5);
        assertThat(b.row(1)).containsExactly(3, 4);
    }

    @Test
    void badShapesAreRejected() {
        assertThatThrownBy(() -> Batch.wrap(new double[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batch.zeros(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batch.ofRows(new double[] {1, 2}, new double[] {3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Batch.zeros(3, 2).rows(2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Batch.zeros(3, 2).setRows(2, Batch.zeros(2, 2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requireFiniteNamesThePointAndCoordinate() {
        Batch ok = Batch.ofRows(new double[] {1, 2}, new double[] {3, 4});
        assertThat(ok.requireFinite("x")).isSameAs(ok);
        assertThat(ok.firstNonFinite()).isEqualTo(-1);
        Batch bad = Batch.ofRows(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, Double.NaN});
        assertThat(bad.firstNonFinite()).isEqualTo(5);
        assertThatThrownBy(() -> bad.requireFinite("data set moons")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data set moons").hasMessageContaining("point 3").hasMessageContaining("coordinate 2");
        Batch inf = Batch.ofRows(new double[] {Double.NEGATIVE_INFINITY, 0});
        assertThatThrownBy(() -> inf.requireFinite("x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("point 1").hasMessageContaining("coordinate 1");
    }

    @Test
    void requireDimRejectsOtherDimensions() {
        Batch b = Batch.zeros(2, 3);
        assertThat(b.requireDim(3, "x")).isSameAs(b);
        assertThatThrownBy(() -> b.requireDim(2, "prior")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("prior").hasMessageContaining("3").hasMessageContaining("2");
    }
}
