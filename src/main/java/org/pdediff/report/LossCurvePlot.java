package org.pdediff.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pdediff.core.AtomicFiles;

/** A loss-curve PNG (XChart, logarithmic y axis): one line per named series against the training step. */
public final class LossCurvePlot {
    private LossCurvePlot() {
    }

    /** One curve; points with a non-positive or non-finite y are left out (log axis). */
    public record Series(String name, double[] x, double[] y) {
    }

    /** Renders the chart and writes it atomically as PNG. */
    public static void write(Path file, String title, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.###E0");
        int added = 0;
        for (Series s : series) {
            int n = 0;
            for (int k = 0; k < s.y().length; k++) {
                if (s.y()[k] > 0 && Double.isFinite(s.y()[k])) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            int j = 0;
            for (int k = 0; k < s.y().length; k++) {
                if (s.y()[k] > 0 && Double.isFinite(s.y()[k])) {
                    x[j] = s.x()[k];
                    y[j++] = s.y()[k];
                }
            }
            chart.addSeries(s.name(), x, y).setMarker(SeriesMarkers.NONE);
            added++;
        }
        if (added == 0) {
            chart.addSeries("(no positive values)", new double[] {0, 1}, new double[] {1, 1}).setMarker(SeriesMarkers.NONE);
        }
        byte[] png;
        try {
            AxisGuard.tame(chart); // bounded time on extreme ranges
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file, out -> out.write(png));
    }
}
