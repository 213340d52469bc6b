package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.Normal;
import org.pdediff.data.GaussianMixture;

class GridDensityTest {
    private static GridDensity normal(Grid g, double mean, double var) {
        return MixtureLaw.of(new GaussianMixture(new double[] {1}, new double[][] {{mean}}, new double[][] {{var}})).cellAverages(g, 0);
    }

    @Test
    void normsEntropyAndKlMatchGaussianClosedForms() {
        // midpoint quadrature of smooth integrands on h = 0.01: errors O(h²) ≈ 1e-5 relative
        Grid g = Grid.of1d(-12, 12, 2400);
        GridDensity p = normal(g, 0, 1);
        GridDensity q = normal(g, 1, 1);
        GridDensity r = normal(g, 0, 4);
        assertThat(p.lpNorm(1)).isCloseTo(1, within(1e-12));
        assertThat(p.lpNorm(2)).isCloseTo(Math.sqrt(1 / (2 * Math.sqrt(Math.PI))), within(1e-5));
        assertThat(p.lpNorm(Double.POSITIVE_INFINITY)).isCloseTo(1 / Math.sqrt(2 * Math.PI), within(1e-5));
        assertThat(p.entropy()).isCloseTo(0.5 * Math.log(2 * Math.PI * Math.E), within(1e-5));
        // KL(N(0,1) ‖ N(1,1)) = 1/2; KL(N(0,1) ‖ N(0,4)) = ½(1/4 − 1 + ln 4)
        assertThat(p.kl(q)).isCloseTo(0.5, within(1e-5));
        assertThat(p.kl(r)).isCloseTo(0.5 * (0.25 - 1 + Math.log(4)), within(1e-5));
        // ‖N(0,1) − N(1,1)‖₁ = 2(2Φ(1/2) − 1)
        assertThat(p.l1Distance(q)).isCloseTo(2 * (2 * Normal.cdf(0.5) - 1), within(1e-5));
        assertThat(p.linfDistance(p)).isZero();
    }

    @Test
    void normalisedHasUnitMass() {
        Grid g = Grid.of1d(-1, 1, 50);
        GridDensity p = normal(g, 0, 1);
        assertThat(p.mass()).isLessThan(0.7);
        assertThat(p.normalised().mass()).isCloseTo(1, within(1e-14));
    }
}
