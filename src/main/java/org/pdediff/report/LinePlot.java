package org.pdediff.report;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.GridDensity;

/** PNG line plots of 1-D grid densities (XChart), one line per density, labelled. */
public final class LinePlot {
    private LinePlot() {
    }

    /** One labelled curve. */
    public record Curve(String label, GridDensity density) {
    }

    /** Writes the curves (all 1-D) into one plot. */
    public static void write(Path png, String title, List<Curve> curves) {
        if (curves.isEmpty()) {
            throw new InvalidInputException("nothing to plot");
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title == null ? "" : title)
                .xAxisTitle("x").yAxisTitle("density").build();
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setMarkerSize(0);
        for (Curve c : curves) {
            GridDensity p = c.density();
            if (p.grid().dim() != 1) {
                throw new InvalidInputException("a line plot needs 1-D densities, got d=" + p.grid().dim());
            }
            chart.addSeries(c.label(), p.grid().axis(0), p.values().clone()).setMarker(SeriesMarkers.NONE);
        }
        AxisGuard.tame(chart); // bounded time on extreme ranges
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
