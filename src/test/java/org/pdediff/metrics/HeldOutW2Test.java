package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;

class HeldOutW2Test {
    private static Batch normal(int n, long seed, double shiftX) {
        RandomStream r = RandomStream.of(seed);
        Batch b = Batch.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            b.data()[2 * i] = r.normal(i, 0) + shiftX;
            b.data()[2 * i + 1] = r.normal(i, 1);
        }
        return b;
    }

    @Test
    void aTranslatedCopyIsAtTheShiftFromEachSet() {
        // W2 between a point set and its translate by c is |c| exactly (the identity coupling is optimal for a
        // translation, the cross term vanishes); with the sets themselves as held-out sets, mean = |c| and sd = 0.
        Batch a = normal(200, 1, 0);
        Batch b = normal(200, 2, 0);
        Batch aShift = normal(200, 1, 0.75);
        HeldOutW2 h = HeldOutW2.of(aShift, List.of(a), 200);
        assertThat(h.mean()).isCloseTo(0.75, within(1e-9));
        assertThat(h.sd()).isZero();
        HeldOutW2 two = HeldOutW2.of(a, List.of(a, b), 200);
        assertThat(two.values()[0]).isCloseTo(0, within(1e-12));
        assertThat(two.first()).isEqualTo(two.values()[0]);
        assertThat(two.mean()).isCloseTo(0.5 * two.values()[1], within(1e-15));
        assertThat(two.sd()).isCloseTo(two.values()[1] / Math.sqrt(2), within(1e-15));
    }

    @Test
    void badInputIsNamed() {
        Batch a = normal(10, 1, 0);
        assertThatThrownBy(() -> HeldOutW2.of(a, List.of(), 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> HeldOutW2.of(a, List.of(normal(5, 2, 0)), 10)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("held-out set 0");
    }
}
