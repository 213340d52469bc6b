package org.pdediff.report;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Keeps XChart's axes in the range its tick computation handles in bounded time. Measured with XChart 4.0.3: a
 * linear axis whose values reach about 1e30 or only about 1e-30 makes the tick search run for minutes (it handled
 * [0, 1e15] and [1e10, 1e10 + 1e-3] in about a second). Every chart the report layer renders goes through
 * {@link #tame}: when an axis's largest |value| is above {@link #HIGH} or below {@link #LOW} (and not 0), its values
 * — the series and any fixed axis bounds — are divided by 10^e and the axis title says "(×1e<i>e</i>)", so the
 * picture is the same with readable ticks. Logarithmic axes are left alone (their ticks are decades).
 */
final class AxisGuard {
    static final double HIGH = 1e9;
    static final double LOW = 1e-9;

    private AxisGuard() {
    }

    /** Rescales the axes of {@code chart} in place where needed (modified: the chart). */
    static XYChart tame(XYChart chart) {
        var st = chart.getStyler();
        int ex = st.isXAxisLogarithmic() ? 0 : exponent(chart, true, st.getXAxisMin(), st.getXAxisMax());
        int ey = st.isYAxisLogarithmic() ? 0 : exponent(chart, false, st.getYAxisMin(), st.getYAxisMax());
        if (ex == 0 && ey == 0) {
            return chart;
        }
        double fx = Math.pow(10, -ex);
        double fy = Math.pow(10, -ey);
        for (XYSeries s : chart.getSeriesCollection()) {
            chart.updateXYSeries(s.getName(), scaled(s.getXData(), fx), scaled(s.getYData(), fy), null);
        }
        if (ex != 0) {
            rescale(new Axis(st::getXAxisMin, st::setXAxisMin, st::getXAxisMax, st::setXAxisMax, chart::getXAxisTitle,
                    chart::setXAxisTitle, st::setXAxisDecimalPattern), ex, fx);
        }
        if (ey != 0) {
            rescale(new Axis(st::getYAxisMin, st::setYAxisMin, st::getYAxisMax, st::setYAxisMax, chart::getYAxisTitle,
                    chart::setYAxisTitle, st::setYAxisDecimalPattern), ey, fy);
        }
        return chart;
    }

    /** The accessors of one axis: its fixed bounds (null: automatic), its title and its decimal pattern. */
    private record Axis(Supplier<Double> min, Consumer<Double> setMin, Supplier<Double> max, Consumer<Double> setMax,
                        Supplier<String> title, Consumer<String> setTitle, Consumer<String> setDecimalPattern) {
    }

    /** Divides an axis's fixed bounds by 10^e (multiplies by f = 10^−e) and says so in its title. */
    private static void rescale(Axis a, int e, double f) {
        if (a.min().get() != null) {
            a.setMin().accept(a.min().get() * f);
        }
        if (a.max().get() != null) {
            a.setMax().accept(a.max().get() * f);
        }
        a.setTitle().accept(suffix(a.title().get(), e));
        a.setDecimalPattern().accept(null);
    }

    private static double[] scaled(double[] v, double f) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    private static String suffix(String title, int e) {
        return (title == null ? "" : title + " ") + String.format(Locale.ROOT, "(×1e%d)", e);
    }

    /** The power of ten to divide an axis by (0: none needed). */
    private static int exponent(XYChart chart, boolean xAxis, Double min, Double max) {
        double m = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            for (double v : xAxis ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v)) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        for (Double v : new Double[] {min, max}) {
            if (v != null && Double.isFinite(v)) {
                m = Math.max(m, Math.abs(v));
            }
        }
        if (m == 0 || (m <= HIGH && m >= LOW)) {
            return 0;
        }
        return (int) Math.floor(Math.log10(m));
    }
}
