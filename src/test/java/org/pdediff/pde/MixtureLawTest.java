package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.data.GaussianMixture;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.VpSde;

class MixtureLawTest {
    private static final GaussianMixture LAW = new GaussianMixture(new double[] {0.3, 0.7},
            new double[][] {{-1, 0.5}, {0.8, -0.2}}, new double[][] {{0.09, 0, 0, 0.04}, {0.25, 0, 0, 0.16}});

    @Test
    void cellAveragesCarryUnitMassOnAWideBox() {
        MixtureLaw p = MixtureLaw.atTime(LAW, new VpSde(), 0.3);
        GridDensity g = p.cellAverages(Grid.of2d(-12, 12, 97), 0.3);
        // erf-based masses: exact to rounding (tails beyond 12 are below 1e-30)
        assertThat(g.mass()).isCloseTo(1, within(1e-13));
        assertThat(g.min()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void cellAveragesApproachPointValuesAtSecondOrder() {
        // (1/|cell|)∫_cell p = p(centre) + (h²/24)Δp + O(h⁴): the max difference must fall by ~4 per halving.
        MixtureLaw p = MixtureLaw.atTime(LAW, new OuSde(), 0.2);
        double[] err = new double[3];
        for (int k = 0; k < 3; k++) {
            Grid g = Grid.of2d(-4, 4, 40 << k);
            double[] pt = p.density(g.centres());
            err[k] = new GridDensity(g, pt, 0).linfDistance(p.cellAverages(g, 0));
        }
        assertThat(err[0] / err[1]).isBetween(3.6, 4.4);
        assertThat(err[1] / err[2]).isBetween(3.8, 4.2);
    }

    @Test
    void finiteSampleLawIsTheKernelMixture() {
        Batch pts = Batch.ofRows(new double[] {0.5}, new double[] {-1.0});
        VpSde sde = new VpSde();
        double t = 0.2;
        MixtureLaw p = MixtureLaw.finiteSample(pts, sde, t);
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double x = 0.1;
        double expect = 0.5 * (Math.exp(-Math.pow(x - a * 0.5, 2) / (2 * s2)) + Math.exp(-Math.pow(x + a, 2) / (2 * s2)))
                / Math.sqrt(2 * Math.PI * s2);
        assertThat(p.density(Batch.ofRows(new double[] {x}))[0]).isCloseTo(expect, within(1e-14));
    }

    @Test
    void nonDiagonalComponentsUseQuadrature() {
        GaussianMixture tilted = new GaussianMixture(new double[] {1}, new double[][] {{0, 0}},
                new double[][] {{1, 0.6, 0.6, 1}});
        GridDensity g = MixtureLaw.of(tilted).cellAverages(Grid.of2d(-9, 9, 60), 0);
        // 6-point Gauss–Legendre per axis on a smooth unit-scale Gaussian with h = 0.3: mass exact to ~1e-12
        assertThat(g.mass()).isCloseTo(1, within(1e-10));
    }
}
