package org.pdediff.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pdediff.core.Batch;

/** Scatter plots of 2-D point sets (the first two coordinates), several series on one chart. */
public final class ScatterPlot {
    private final String title;
    private final List<Batch> series = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Color> colors = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private int width = 520;
    private int height = 500;
    private double[] box;

    public ScatterPlot(String title) {
        this.title = title;
    }

    /** Adds a series (modified: the receiver). */
    public ScatterPlot add(String name, Batch points, Color color, int markerSize) {
        series.add(points);
        names.add(name);
        colors.add(color);
        sizes.add(markerSize);
        return this;
    }

    public ScatterPlot size(int w, int h) {
        width = w;
        height = h;
        return this;
    }

    /** Fixes the axes to [xmin, xmax] × [ymin, ymax]. */
    public ScatterPlot box(double xmin, double xmax, double ymin, double ymax) {
        box = new double[] {xmin, xmax, ymin, ymax};
        return this;
    }

    public XYChart chart() {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("x1").yAxisTitle("x2").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(series.size() > 1);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setDecimalPattern("#0.0#");
        if (box != null) {
            c.getStyler().setXAxisMin(box[0]).setXAxisMax(box[1]).setYAxisMin(box[2]).setYAxisMax(box[3]);
        }
        for (int s = 0; s < series.size(); s++) {
            Batch b = series.get(s);
            double[] x = new double[b.size()];
            double[] y = new double[b.size()];
            for (int i = 0; i < b.size(); i++) {
                x[i] = b.get(i, 0);
                y[i] = b.dim() > 1 ? b.get(i, 1) : 0;
            }
            XYSeries xy = c.addSeries(names.get(s), x, y);
            xy.setMarker(SeriesMarkers.CIRCLE);
            xy.setMarkerColor(colors.get(s));
            xy.setLineColor(colors.get(s));
            xy.setFillColor(colors.get(s));
            c.getStyler().setMarkerSize(sizes.get(s));
        }
        return c;
    }

    /** A square box around all series with a 5% margin, for side-by-side panels on common axes. */
    public static double[] commonBox(Batch... sets) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Batch b : sets) {
            for (int i = 0; i < b.size(); i++) {
                for (int j = 0; j < Math.min(2, b.dim()); j++) {
                    double v = b.get(i, j);
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!(hi > lo)) {
            lo = -1;
            hi = 1;
        }
        double m = 0.05 * (hi - lo);
        return new double[] {lo - m, hi + m, lo - m, hi + m};
    }
}
