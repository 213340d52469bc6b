package org.pdediff.sample;

import java.util.Locale;
import org.pdediff.core.ProgressListener;

/**
 * Reports progress to a {@link ProgressListener}: on a fixed grid, steps done out of K with the time reached; for
 * adaptive methods, thousandths of the time span covered with the time and step size.
 */
final class ProgressHandler implements StepHandler {
    private final ProgressListener listener;
    private final int steps;
    private final double start;
    private final double span;

    private ProgressHandler(ProgressListener listener, int steps, double start, double span) {
        this.listener = listener;
        this.steps = steps;
        this.start = start;
        this.span = span;
    }

    /** Progress over a fixed grid of K steps. */
    static ProgressHandler fixed(ProgressListener l, int steps) {
        return new ProgressHandler(l, steps, 0, 0);
    }

    /** Progress over the span from {@code start} to {@code end} of an adaptive integration. */
    static ProgressHandler adaptive(ProgressListener l, double start, double end) {
        return new ProgressHandler(l, -1, start, start - end);
    }

    @Override
    public void handleStep(StepEvent e) {
        if (steps >= 0) {
            listener.progress(e.step(), steps, "t=" + fmt(e.t()));
        } else {
            listener.progress(Math.round(1000 * (start - e.t()) / span), 1000, "t=" + fmt(e.t()) + " h=" + fmt(e.h()));
        }
    }

    static String fmt(double t) {
        return String.format(Locale.ROOT, "%.4g", t);
    }
}
