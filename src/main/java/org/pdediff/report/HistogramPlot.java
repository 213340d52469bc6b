package org.pdediff.report;

import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.pdediff.core.Batch;
import org.pdediff.core.Binning;

/** A density histogram of 1-D samples (first coordinate), drawn as a step line, optionally over a reference set. */
public final class HistogramPlot {
    private HistogramPlot() {
    }

    /**
     * Builds the chart.
     *
     * @param samples   the samples
     * @param reference reference points (e.g. the data) drawn as a second histogram, or null
     * @param bins      number of bins
     */
    public static XYChart chart(String title, Batch samples, Batch reference, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Batch b : reference == null ? new Batch[] {samples} : new Batch[] {samples, reference}) {
            for (int i = 0; i < b.size(); i++) {
                lo = Math.min(lo, b.get(i, 0));
                hi = Math.max(hi, b.get(i, 0));
            }
        }
        if (!(hi > lo)) {
            lo -= 1;
            hi += 1;
        }
        XYChart c = new XYChartBuilder().width(560).height(420).title(title).xAxisTitle("x").yAxisTitle("density").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setDecimalPattern("#0.0##");
        addSeries(c, "samples", samples, lo, hi, bins, new Color(31, 119, 180));
        if (reference != null) {
            addSeries(c, "data", reference, lo, hi, bins, new Color(214, 39, 40));
        }
        return c;
    }

    private static void addSeries(XYChart c, String name, Batch b, double lo, double hi, int bins, Color color) {
        double w = (hi - lo) / bins;
        double[] count = new double[bins];
        for (int i = 0; i < b.size(); i++) {
            int k = Binning.clamped(b.get(i, 0), lo, w, bins);
            count[k]++;
        }
        double[] x = new double[2 * bins];
        double[] y = new double[2 * bins];
        for (int k = 0; k < bins; k++) {
            double dens = count[k] / (b.size() * w);
            x[2 * k] = lo + k * w;
            x[2 * k + 1] = lo + (k + 1) * w;
            y[2 * k] = dens;
            y[2 * k + 1] = dens;
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
    }
}
