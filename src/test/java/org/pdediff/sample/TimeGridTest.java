package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.InvalidInputException;

class TimeGridTest {
    @ParameterizedTest
    @EnumSource(GridKind.class)
    void gridsRunFromTToEpsStrictlyDecreasing(GridKind kind) {
        TimeGrid g = TimeGrid.of(kind, 2.0, 1e-3, 17);
        assertThat(g.steps()).isEqualTo(17);
        assertThat(g.start()).isEqualTo(2.0);
        assertThat(g.end()).isEqualTo(1e-3);
        double sum = 0;
        for (int k = 0; k < g.steps(); k++) {
            assertThat(g.step(k)).isPositive();
            sum += g.step(k);
        }
        assertThat(sum).isCloseTo(2.0 - 1e-3, org.assertj.core.data.Offset.offset(1e-14));
    }

    @Test
    void spacingsAreAsDocumented() {
        TimeGrid u = TimeGrid.of(GridKind.UNIFORM, 1, 0.1, 9);
        assertThat(u.step(0)).isCloseTo(u.step(8), org.assertj.core.data.Offset.offset(1e-15));
        TimeGrid g = TimeGrid.of(GridKind.GEOMETRIC, 1, 1e-4, 8);
        for (int k = 1; k < 8; k++) {
            assertThat(g.time(k + 1) / g.time(k)).isCloseTo(g.time(1) / g.time(0), org.assertj.core.data.Offset.offset(1e-12));
        }
        TimeGrid q = TimeGrid.of(GridKind.QUADRATIC, 1, 1e-3, 10);
        assertThat(q.step(9)).isLessThan(q.step(0) / 10);
    }

    @Test
    void badGridsAreRejected() {
        assertThatThrownBy(() -> TimeGrid.of(GridKind.UNIFORM, 1, 0, 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TimeGrid.of(GridKind.UNIFORM, 1, 1, 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TimeGrid.of(GridKind.UNIFORM, 1, 0.1, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TimeGrid.ofTimes(1, 0.5, 0.5)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SamplingOptions.builder().steps(-3).build()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SamplingOptions.builder().eta(1.5).build()).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void recordingTakesTheNearestGridTimes() {
        TimeGrid g = TimeGrid.of(GridKind.UNIFORM, 1, 0.01, 99);
        assertThat(g.time(g.nearest(0.5))).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.006));
    }
}
