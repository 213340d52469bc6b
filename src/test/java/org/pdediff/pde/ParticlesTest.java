package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.RandomStream;
import org.pdediff.data.GaussianMixture;

class ParticlesTest {
    private static final GaussianMixture STD1 = new GaussianMixture(new double[] {1}, new double[][] {{0}}, new double[][] {{1}});

    @Test
    void histogramMassIsTheFractionInsideTheBox() {
        Batch pts = Batch.ofRows(new double[] {0.1}, new double[] {0.2}, new double[] {5.0}, new double[] {-0.9});
        Particles.Histogram h = Particles.histogram(pts, Grid.of1d(-1, 1, 4), 0);
        assertThat(h.outside()).isEqualTo(1);
        assertThat(h.density().mass()).isCloseTo(0.75, within(1e-15));
        assertThat(h.density().values()[2]).isCloseTo(2 / (4 * 0.5), within(1e-15));
    }

    @Test
    void histogramL1AndKlOfASampleMatchTheirSamplingScale() {
        int n = 100_000;
        Batch pts = STD1.sample(n, RandomStream.of(7).derive("particles-test"));
        Grid g = Grid.of1d(-5, 5, 50);
        GridDensity p = MixtureLaw.of(STD1).cellAverages(g, 0);
        // count_i ~ Binomial(n, q_i), q_i = p_i h: E|count_i/n − q_i| ≈ √(2 q_i/(π n)) (normal approximation), so
        // E‖hist − p‖₁ ≈ Σ_i √(2 q_i/(π n)); the sum over 50 cells fluctuates by a few percent: allow [0.7, 1.3]
        double expect = 0;
        for (double v : p.values()) {
            expect += Math.sqrt(2 * v * g.h(0) / (Math.PI * n));
        }
        assertThat(Particles.l1(pts, p) / expect).isBetween(0.7, 1.3);
        // plug-in KL(hist ‖ p) ≈ χ²/2 ≈ (occupied cells − 1)/(2n): a few e-4 here; 3× margin
        double kl = Particles.kl(pts, p);
        assertThat(kl).isPositive().isLessThan(3 * 50.0 / (2 * n));
    }

    @Test
    void kdeIsTheGaussianKernelMixtureAndConverges() {
        Grid g = Grid.of1d(-6, 6, 240);
        GridDensity p = MixtureLaw.of(STD1).cellAverages(g, 0);
        Batch two = Batch.ofRows(new double[] {0.0}, new double[] {1.0});
        GridDensity k = Particles.kde(two, g, 0.5, 0);
        double c = 0.5 / Math.sqrt(2 * Math.PI * 0.25);
        // at x near 0: mean of N(0, 0.25) and N(1, 0.25) densities (cell average vs point value differs by O(h²) = 1e-3)
        int i0 = g.cellOf(new double[] {0.0});
        double x = g.centre(0, i0);
        double expect = c * (Math.exp(-x * x / 0.5) + Math.exp(-(x - 1) * (x - 1) / 0.5));
        assertThat(k.values()[i0]).isCloseTo(expect, within(2e-3 * expect));
        assertThat(k.mass()).isCloseTo(1, within(1e-12));
        double e1 = Particles.kde(STD1.sample(1000, RandomStream.of(1)), g, -1, 0).l1Distance(p);
        double e2 = Particles.kde(STD1.sample(16000, RandomStream.of(2)), g, -1, 0).l1Distance(p);
        // Scott's rule: L¹ error ∝ n^{−2/5}: 16× the points → about 3× smaller; require at least 2×
        assertThat(e2).isLessThan(e1 / 2);
    }
}
