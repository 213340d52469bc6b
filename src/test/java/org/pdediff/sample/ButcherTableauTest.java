package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract of every tableau: the row-sum condition Σ_j a_ij = c_i and the order conditions up to min(order, 4)
 * (Σb = 1, Σbc = ½, Σbc² = ⅓, Σb a c = ⅙, Σbc³ = ¼, Σb c a c = ⅛, Σb a c² = 1/12, Σb a a c = 1/24), for the
 * propagated and (for embedded pairs) the embedded weights at their own orders; tolerances are rounding of the
 * double coefficients (≈ 1e-15 per term, 1e-13 with margin).
 */
class ButcherTableauTest {
    static Stream<ButcherTableau> tableaux() {
        return Stream.of(ButcherTableau.EULER, ButcherTableau.HEUN, ButcherTableau.RK4, ButcherTableau.BOGACKI_SHAMPINE_32,
                ButcherTableau.DORMAND_PRINCE_54);
    }

    private static void orderConditions(ButcherTableau t, double[] b, int order) {
        int s = t.stages();
        double[] c = t.c();
        double[][] a = t.a();
        double[] ac = new double[s];
        double[] ac2 = new double[s];
        double[] aac = new double[s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                ac[i] += a[i][j] * c[j];
                ac2[i] += a[i][j] * c[j] * c[j];
            }
        }
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                aac[i] += a[i][j] * ac[j];
            }
        }
        double[][] sums = new double[8][1];
        for (int i = 0; i < s; i++) {
            sums[0][0] += b[i];
            sums[1][0] += b[i] * c[i];
            sums[2][0] += b[i] * c[i] * c[i];
            sums[3][0] += b[i] * ac[i];
            sums[4][0] += b[i] * c[i] * c[i] * c[i];
            sums[5][0] += b[i] * c[i] * ac[i];
            sums[6][0] += b[i] * ac2[i];
            sums[7][0] += b[i] * aac[i];
        }
        double[] want = {1, 0.5, 1.0 / 3, 1.0 / 6, 0.25, 0.125, 1.0 / 12, 1.0 / 24};
        int[] needs = {1, 2, 3, 3, 4, 4, 4, 4};
        for (int q = 0; q < 8; q++) {
            if (needs[q] <= Math.min(order, 4)) {
                assertThat(sums[q][0]).as("%s condition %d", t.name(), q).isCloseTo(want[q], within(1e-13));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tableaux")
    void rowSumsAndOrderConditions(ButcherTableau t) {
        for (int i = 0; i < t.stages(); i++) {
            double sum = 0;
            for (double v : t.a()[i]) {
                sum += v;
            }
            assertThat(sum).as("%s row %d", t.name(), i).isCloseTo(t.c()[i], within(1e-14));
        }
        double[] b = new double[t.stages()];
        for (int i = 0; i < b.length; i++) {
            b[i] = t.b(i);
        }
        orderConditions(t, b, t.order());
        if (t.adaptive()) {
            double[] bHat = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                bHat[i] = b[i] - t.error()[i];
            }
            orderConditions(t, bHat, t.errorOrder());
            assertThat(t.fsal()).isTrue();
            // FSAL: the last row of a equals b, so the last stage is the new solution
            for (int j = 0; j < t.stages() - 1; j++) {
                assertThat(t.a()[t.stages() - 1][j]).isEqualTo(b[j]);
            }
        }
    }
}
