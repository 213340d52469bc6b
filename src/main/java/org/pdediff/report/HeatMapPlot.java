package org.pdediff.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;

/**
 * PNG heat maps of 2-D grid densities (XChart {@link HeatMapChart}), optionally with particles drawn over the density.
 * Grids finer than {@code maxBins} per axis are shown block-averaged (the mean of each block of cells, so the picture
 * keeps the mass); axis labels are the display-cell centres.
 */
public final class HeatMapPlot {
    /** Largest number of displayed cells per axis. */
    public static final int MAX_BINS = 96;

    private HeatMapPlot() {
    }

    /** Writes the heat map of a 2-D density. */
    public static void write(Path png, GridDensity density, String title) {
        write(png, density, null, title);
    }

    /**
     * Writes the heat map of a 2-D density with the given particles (n × 2, may be null) drawn over it as small white
     * dots with a dark rim; particles outside the box are not drawn.
     */
    public static void write(Path png, GridDensity density, Batch particles, String title) {
        BufferedImage img = render(density, particles, title, 720, 600);
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }

    /** Renders the picture in memory (for composite panels). */
    public static BufferedImage render(GridDensity density, Batch particles, String title, int width, int height) {
        Grid grid = density.grid();
        if (grid.dim() != 2) {
            throw new InvalidInputException("a heat map needs a 2-D density, got d=" + grid.dim());
        }
        if (particles != null && particles.dim() != 2) {
            throw new InvalidInputException("particles of dimension " + particles.dim() + " over a 2-D heat map");
        }
        int b0 = Math.max(1, (grid.n(0) + MAX_BINS - 1) / MAX_BINS);
        int b1 = Math.max(1, (grid.n(1) + MAX_BINS - 1) / MAX_BINS);
        int m0 = grid.n(0) / b0;
        int m1 = grid.n(1) / b1;
        double h0 = grid.h(0) * b0;
        double h1 = grid.h(1) * b1;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < m0; i++) {
            xs.add(round(grid.lo(0) + (i + 0.5) * h0));
        }
        for (int j = 0; j < m1; j++) {
            ys.add(round(grid.lo(1) + (j + 0.5) * h1));
        }
        double[] v = density.values();
        int n1 = grid.n(1);
        List<Number[]> data = new ArrayList<>(m0 * m1);
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m0; i++) {
            for (int j = 0; j < m1; j++) {
                double s = 0;
                for (int a = 0; a < b0; a++) {
                    for (int b = 0; b < b1; b++) {
                        s += v[(i * b0 + a) * n1 + j * b1 + b];
                    }
                }
                s /= b0 * b1;
                max = Math.max(max, s);
                min = Math.min(min, s);
                data.add(new Number[] {i, j, s});
            }
        }
        Overlay chart = new Overlay(new HeatMapChartBuilder().width(width).height(height).title(title == null ? "" : title)
                .xAxisTitle("x1").yAxisTitle("x2"), particles, grid);
        chart.getStyler().setMin(Math.min(min, 0));
        chart.getStyler().setMax(max > 0 ? roundUp(max) : 1);
        chart.getStyler().setRangeColors(VIRIDIS);
        chart.getStyler().setHeatMapValueDecimalPattern("0.###E0");
        chart.getStyler().setShowValue(false);
        chart.getStyler().setDrawBorder(false);
        chart.getStyler().setXAxisTickMarkSpacingHint(60);
        chart.getStyler().setYAxisTickMarkSpacingHint(60);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotContentSize(1.0); // cells fill the plot area: the particle overlay maps onto it
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setYAxisDecimalPattern("0.##");
        chart.getStyler().setHeatMapDecimalValueFormatter(x -> String.format(java.util.Locale.ROOT, "%.3g", x));
        chart.addSeries("density", xs, ys, data);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        chart.paint(g, width, height);
        g.dispose();
        return img;
    }

    /** x rounded up to 3 significant digits (a readable colour-bar maximum). */
    static double roundUp(double x) {
        double e = Math.pow(10, Math.floor(Math.log10(x)) - 2);
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", Math.ceil(x / e) * e));
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /** A heat-map chart that draws particles over its plot area after painting. */
    private static final class Overlay extends HeatMapChart {
        private final transient Batch particles;
        private final Grid grid;

        Overlay(HeatMapChartBuilder b, Batch particles, Grid grid) {
            super(b);
            this.particles = particles;
            this.grid = grid;
        }

        @Override
        public void paint(Graphics2D g, int width, int height) {
            super.paint(g, width, height);
            if (particles == null) {
                return;
            }
            Rectangle2D r = plot.getBounds();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(0.6f));
            double rad = particles.size() > 2000 ? 1.2 : 1.8;
            for (int i = 0; i < particles.size(); i++) {
                double x = particles.get(i, 0);
                double y = particles.get(i, 1);
                double u = (x - grid.lo(0)) / (grid.hi(0) - grid.lo(0));
                double w = (y - grid.lo(1)) / (grid.hi(1) - grid.lo(1));
                if (!(u >= 0 && u <= 1 && w >= 0 && w <= 1)) {
                    continue;
                }
                double px = r.getX() + u * r.getWidth();
                double py = r.getY() + (1 - w) * r.getHeight();
                Ellipse2D dot = new Ellipse2D.Double(px - rad, py - rad, 2 * rad, 2 * rad);
                g.setColor(Color.WHITE);
                g.fill(dot);
                g.setColor(new Color(40, 40, 40));
                g.draw(dot);
            }
        }
    }

    /** A 9-stop viridis colour map. */
    static final Color[] VIRIDIS = {new Color(68, 1, 84), new Color(72, 40, 120), new Color(62, 74, 137),
        new Color(49, 104, 142), new Color(38, 130, 142), new Color(31, 158, 137), new Color(53, 183, 121),
        new Color(109, 205, 89), new Color(253, 231, 37)};
}
