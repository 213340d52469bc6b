package org.pdediff.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;

/**
 * Plotting never hangs on extreme values: XChart's tick search ran for minutes on axes reaching 1e30 or only 1e-30
 * (measured); every chart now renders such data in bounded time, with the axis rescaled by a power of ten.
 */
class ExtremePlotTest {
    @Test
    void extremeRangesRenderInBoundedTime() {
        double[][] cases = {{0, 1e300}, {-1e300, 1e300}, {1e-300, 2e-300}, {0, 1e30}, {1e-30, 2e-30}, {1, 1 + 1e-15}, {5, 5}};
        for (double[] c : cases) {
            Batch b = Batch.ofRows(new double[] {c[0], c[0]}, new double[] {c[1], c[1]}, new double[] {0.5 * c[0] + 0.5 * c[1], c[1]});
            Batch b1 = Batch.ofRows(new double[] {c[0]}, new double[] {c[1]});
            // generous bound for a loaded 2-core machine; the failure mode was minutes
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                double[] box = ScatterPlot.commonBox(b);
                BufferedImage im = Png.render(new ScatterPlot("t").box(box[0], box[1], box[2], box[3]).add("s", b, Color.BLUE, 3).chart());
                assertThat(im.getWidth()).isPositive();
                assertThat(Png.render(HistogramPlot.chart("h", b1, b1, 60)).getWidth()).isPositive();
            }, () -> "range " + c[0] + " .. " + c[1]);
        }
    }

    @Test
    void aRescaledAxisSaysItsPowerOfTen() {
        var chart = new org.knowm.xchart.XYChartBuilder().xAxisTitle("x").yAxisTitle("y").build();
        chart.addSeries("s", new double[] {0, 3e30}, new double[] {1, 2});
        AxisGuard.tame(chart);
        assertThat(chart.getXAxisTitle()).isEqualTo("x (×1e30)");
        assertThat(chart.getYAxisTitle()).isEqualTo("y");
        assertThat(chart.getSeries("s").getXData()[1]).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
