package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSets;
import org.pdediff.sde.VpSde;

class GridTest {
    @Test
    void centresAndCellLookupAgree() {
        Grid g = Grid.of2d(-1, 3, 8, 0, 1, 5);
        Batch c = g.centres();
        assertThat(c.size()).isEqualTo(40);
        for (int k = 0; k < 40; k++) {
            assertThat(g.cellOf(c.row(k))).isEqualTo(k);
        }
        assertThat(c.get(0, 0)).isCloseTo(-0.75, within(1e-15));
        assertThat(c.get(1, 1)).isCloseTo(0.3, within(1e-15));
        assertThat(g.cellOf(new double[] {3.0, 0.5})).isEqualTo(-1);
        assertThat(g.cellVolume()).isCloseTo(0.5 * 0.2, within(1e-15));
    }

    @Test
    void coveringBoxHoldsTheDataAndThePrior() {
        Batch pts = DataSets.parse("moons:n=100").points();
        VpSde sde = new VpSde();
        Grid g = Grids.covering(pts, sde, new double[] {1e-3, 1}, true, 64);
        for (int i = 0; i < pts.size(); i++) {
            assertThat(g.cellOf(pts.row(i))).isNotNegative();
        }
        assertThat(g.lo(0)).isLessThan(-5);
        assertThat(g.hi(1)).isGreaterThan(5);
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> Grid.of1d(1, 0, 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Grid.of1d(0, 1, 2)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Grids.covering(DataSets.parse("sphere:n=10").points(), new VpSde(), new double[] {1}, false, 8))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void lineStartsListEveryLineOfAnAxis() {
        Grid g = Grid.of2d(-1, 3, 8, 0, 1, 5);
        for (int j = 0; j < 2; j++) {
            int[] starts = g.lineStarts(j);
            assertThat(starts).hasSize(g.lines(j));
            for (int line = 0; line < starts.length; line++) {
                assertThat(starts[line]).isEqualTo(g.lineStart(j, line));
            }
        }
        assertThat(Grid.of1d(0, 1, 10).lineStarts(0)).containsExactly(0);
    }
}
