package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;

class GridHistogramTest {
    @Test
    void densityPutsEachCountInItsCellAndIntegratesToOne() {
        // 4 x 4 cells of width 0.5 over [-1, 1]^2: (-0.9, 0.1) is cell (0, 2), (0.6, -0.6) cell (3, 0), (5, 5) the corner (3, 3)
        Batch x = Batch.ofRows(new double[] {-0.9, 0.1}, new double[] {-0.8, 0.2}, new double[] {0.6, -0.6}, new double[] {5, 5});
        GridHistogram h = GridHistogram.of(x, 4, 1);
        GridDensity g = h.density();
        double area = 0.25;
        assertThat(g.values()[0 * 4 + 2]).isEqualTo(2 / (4 * area));
        assertThat(g.values()[3 * 4 + 0]).isEqualTo(1 / (4 * area));
        assertThat(g.values()[3 * 4 + 3]).isEqualTo(1 / (4 * area));
        double mass = 0;
        for (double v : g.values()) {
            mass += v * area;
        }
        assertThat(mass).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-15));
        // the density's cell centres are the histogram's
        assertThat(g.grid().centre(0, 0)).isEqualTo(h.centres().get(0, 0));
        assertThat(g.grid().centre(1, 2)).isEqualTo(h.centres().get(0, 1));
    }

    @Test
    void densityNeedsTwoDimensions() {
        GridHistogram h = GridHistogram.of(Batch.ofRows(new double[] {0.1}), 4, 1);
        assertThatThrownBy(h::density).isInstanceOf(InvalidInputException.class).hasMessageContaining("d = 2");
    }
}
