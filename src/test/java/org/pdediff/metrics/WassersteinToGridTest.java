package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.RandomStream;
import org.pdediff.data.GaussianMixture;
import org.pdediff.pde.MixtureLaw;
import org.pdediff.sde.HeatSde;

/** W2 between particles and a grid density: a point mass at the origin against a Gaussian grid density N(0, v I). */
class WassersteinToGridTest {
    @Test
    void pointCloudAgainstGaussianGridDensityMatchesTheClosedForm() {
        // density N(m, v I) on a fine grid; particles: n copies of the point m  =>  W2² = d·v (all mass moves to m)
        double v = 0.25;
        HeatSde sde = new HeatSde(1);
        double t = v / 2; // heat: σ² = 2t
        GaussianMixture point = GaussianMixture.isotropic(new double[][] {{0.3, -0.2}}, 0);
        Grid grid = Grid.of2d(-3, 3, 60);
        GridDensity p = MixtureLaw.atTime(point, sde, t).cellAverages(grid, t);
        Batch pts = Batch.zeros(20, 2);
        for (int i = 0; i < 20; i++) {
            pts.set(i, 0, 0.3);
            pts.set(i, 1, -0.2);
        }
        double w2sq = Wasserstein.toGrid(pts, p).value();
        // cell averaging adds h²/12 per coordinate to the variance (h = 0.05): d·(v + h²/12)
        double h = 6.0 / 60;
        assertThat(w2sq).isCloseTo(2 * (v + h * h / 12), org.assertj.core.data.Offset.offset(5e-4)); // O(h⁴) beyond Sheppard
        Batch spread = Batch.zeros(40, 2);
        RandomStream.of(1).fillNormal(spread, 0, 0);
        assertThat(Wasserstein.toGrid(spread, p).distance()).isPositive();
    }
}
