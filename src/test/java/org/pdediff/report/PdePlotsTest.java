package org.pdediff.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.GaussianMixture;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.pde.MixtureLaw;

class PdePlotsTest {
    private static GridDensity blob(Grid g) {
        double d = g.dim();
        double[][] cov = {d == 1 ? new double[] {0.3} : new double[] {0.3, 0, 0, 0.3}};
        double[][] mean = {new double[g.dim()]};
        return MixtureLaw.of(new GaussianMixture(new double[] {1}, mean, cov)).cellAverages(g, 0);
    }

    @Test
    void heatMapWithParticlesIsAReadablePngWithDotsWhereTheParticlesAre(@TempDir Path dir) throws Exception {
        Grid g = Grid.of2d(-2, 2, 200);
        Path png = dir.resolve("h.png");
        // the density's maximum is at the centre and its colour is the bright end of the map; a particle at the
        // dark corner (-1.8, -1.8) must put a white dot where the map is dark
        HeatMapPlot.write(png, blob(g), Batch.ofRows(new double[] {-1.8, -1.8}), "t");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(720);
        assertThat(img.getHeight()).isEqualTo(600);
        BufferedImage without = HeatMapPlot.render(blob(g), null, "t", 720, 600);
        int white = 0;
        for (int x = 0; x < 720; x++) {
            for (int y = 0; y < 600; y++) {
                if (img.getRGB(x, y) != without.getRGB(x, y) && (img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) {
                    white++;
                }
            }
        }
        assertThat(white).isBetween(1, 40);
    }

    @Test
    void linePlotWritesAPngAndRejectsTwoDimensionalDensities(@TempDir Path dir) throws Exception {
        Grid g = Grid.of1d(-3, 3, 100);
        Path png = dir.resolve("l.png");
        LinePlot.write(png, "x", List.of(new LinePlot.Curve("a", blob(g))));
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(800);
        assertThatThrownBy(() -> LinePlot.write(dir.resolve("m.png"), "x", List.of(new LinePlot.Curve("a", blob(Grid.of2d(-1, 1, 10))))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> HeatMapPlot.write(dir.resolve("n.png"), blob(g), "x")).isInstanceOf(InvalidInputException.class);
    }
}
