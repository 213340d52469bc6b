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

    private static Batch shifted(Batch b, double dx, double dy) {
        Batch c = Batch.zeros(b.size(), 2);
        for (int i = 0; i < b.size(); i++) {
            c.data()[2 * i] = b.data()[2 * i] + dx;
            c.data()[2 * i + 1] = b.data()[2 * i + 1] + dy;
        }
        return c;
    }

    @Test
    void pairedRatioOfTranslatesIsTheRatioOfTheShifts() {
        // Training set a; held-out set k = a + b_k; generated set k = held-out k + c_k. W2 of a translate is the shift
        // (the identity coupling is optimal), so the floor values are |b_k|, the paired values |c_k| and
        // R = Σ|c_k| / Σ|b_k| exactly; the per-set ratios are |c_k| / |b_k|.
        int n = 150;
        Batch a = normal(n, 3, 0);
        double[] b = {0.2, 0.3, 0.5};
        double[] c = {0.25, 0.3, 0.4};
        List<Batch> held = List.of(shifted(a, b[0], 0), shifted(a, 0, b[1]), shifted(a, -b[2], 0));
        Batch gen = Batch.zeros(3 * n, 2);
        gen.setRows(0, shifted(held.get(0), 0, c[0]));
        gen.setRows(n, shifted(held.get(1), -c[1], 0));
        gen.setRows(2 * n, shifted(held.get(2), 0, -c[2]));
        HeldOutW2 floor = HeldOutW2.of(a, held, n);
        HeldOutW2 paired = HeldOutW2.paired(gen, 3, held, n);
        assertThat(paired.values()).containsExactly(new double[] {0.25, 0.3, 0.4}, within(1e-9));
        HeldOutW2.Ratio r = HeldOutW2.Ratio.of(paired, floor);
        assertThat(r.mean()).isCloseTo(0.95 / 1.0, within(1e-9));
        assertThat(r.sets()).isEqualTo(3);
        double[] per = {1.25, 1.0, 0.8};
        double m = (per[0] + per[1] + per[2]) / 3;
        double sd = Math.sqrt(((per[0] - m) * (per[0] - m) + (per[1] - m) * (per[1] - m) + (per[2] - m) * (per[2] - m)) / 2);
        assertThat(r.perSetSd()).isCloseTo(sd, within(1e-9));
        // delta method: residuals g_k − R f_k = 0.06, 0.015, −0.075 (mean 0), sd over √3 and the floor mean 1/3
        double[] lin = {0.25 - 0.95 * 0.2, 0.3 - 0.95 * 0.3, 0.4 - 0.95 * 0.5};
        double sl = Math.sqrt((lin[0] * lin[0] + lin[1] * lin[1] + lin[2] * lin[2]) / 2);
        assertThat(r.se()).isCloseTo(sl / (Math.sqrt(3) * (1.0 / 3)), within(1e-9));
        // one set: the ratio of that pair, no spread; the floor's other sets are ignored
        HeldOutW2.Ratio one = HeldOutW2.Ratio.of(HeldOutW2.paired(gen, 1, held, n), floor);
        assertThat(one.mean()).isCloseTo(1.25, within(1e-9));
        assertThat(one.perSetSd()).isZero();
        assertThat(one.se()).isZero();
    }

    @Test
    void cycledPairsSampleJWithHeldOutSetJModK() {
        // held-out sets a, a + (0, 0.4); samples: translates of them by 0.1, 0.2, 0.3, 0.5 in turn, so W2 of sample j to
        // held-out set j mod 2 is its shift exactly (identity coupling of a translate)
        int n = 120;
        Batch a = normal(n, 5, 0);
        List<Batch> held = List.of(a, shifted(a, 0, 0.4));
        List<Batch> samples = List.of(shifted(held.get(0), 0.1, 0), shifted(held.get(1), 0, 0.2),
                shifted(held.get(0), -0.3, 0), shifted(held.get(1), 0, -0.5));
        HeldOutW2 c = HeldOutW2.cycled(samples, held, n);
        assertThat(c.values()).containsExactly(new double[] {0.1, 0.2, 0.3, 0.5}, within(1e-9));
        assertThat(c.mean()).isCloseTo(0.275, within(1e-9));
        HeldOutW2 first = c.firstHeldOut(2, 1);
        assertThat(first.values()).containsExactly(new double[] {0.1, 0.3}, within(1e-9));
        assertThat(c.firstHeldOut(2, 2).values()).containsExactly(c.values());
        assertThatThrownBy(() -> c.firstHeldOut(3, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> HeldOutW2.cycled(samples.subList(0, 3), held, n)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("whole number");
        // the quotient of two mean W2s and its delta-method standard error
        HeldOutW2 g = HeldOutW2.paired(shifted(a, 0.3, 0), 1, List.of(a), n);
        HeldOutW2.Quotient q = HeldOutW2.Quotient.of(g, c);
        assertThat(q.value()).isCloseTo(0.3 / 0.275, within(1e-9));
        double sdC = Math.sqrt(((0.1 - 0.275) * (0.1 - 0.275) + (0.2 - 0.275) * (0.2 - 0.275) + (0.3 - 0.275) * (0.3 - 0.275)
                + (0.5 - 0.275) * (0.5 - 0.275)) / 3);
        assertThat(q.se()).isCloseTo(q.value() * sdC / (2 * 0.275), within(1e-9));
    }

    @Test
    void pairedBadInputIsNamed() {
        Batch a = normal(20, 1, 0);
        List<Batch> held = List.of(normal(10, 2, 0), normal(10, 3, 0));
        assertThatThrownBy(() -> HeldOutW2.paired(a, 3, held, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sets");
        assertThatThrownBy(() -> HeldOutW2.paired(a, 2, held, 11)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("n=11");
        HeldOutW2 p = HeldOutW2.paired(a, 2, held, 10);
        assertThatThrownBy(() -> HeldOutW2.Ratio.of(p, HeldOutW2.of(a, held.subList(0, 1), 10)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void badInputIsNamed() {
        Batch a = normal(10, 1, 0);
        assertThatThrownBy(() -> HeldOutW2.of(a, List.of(), 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> HeldOutW2.of(a, List.of(normal(5, 2, 0)), 10)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("held-out set 0");
    }
}
