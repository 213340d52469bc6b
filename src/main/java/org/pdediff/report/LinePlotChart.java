package org.pdediff.report;

import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line/marker charts of y against x, optionally log–log, for experiment reports. */
public final class LinePlotChart {
    private final XYChart chart;

    public LinePlotChart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        chart = new XYChartBuilder().width(640).height(460).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setDecimalPattern("#0.###");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    }

    /** Adds a line with markers (modified: the receiver). */
    public LinePlotChart line(String name, double[] x, double[] y, boolean markers) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return this;
    }

    /** Adds a dashed reference line (modified: the receiver). */
    public LinePlotChart reference(String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        s.setLineColor(Color.GRAY);
        return this;
    }

    public XYChart chart() {
        return chart;
    }
}
