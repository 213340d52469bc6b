package org.pdediff.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pdediff.core.ProgressListener;

/** A terminal progress bar behind a {@link ProgressListener}; silent when output is not a terminal. */
final class ProgressBars implements AutoCloseable {
    private final ProgressBar bar;

    private ProgressBars(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Whether stderr is a terminal: the launcher exports PDEDIFF_STDERR_TTY=1 or 0 (it checks `-t 2` before it filters
     * stderr); without it (pdediff used in-process), the JVM's console check stands in.
     */
    static boolean stderrIsTerminal() {
        String env = System.getenv("PDEDIFF_STDERR_TTY");
        return env != null ? env.equals("1") : System.console() != null;
    }

    /** A bar when stderr is a terminal and {@code enabled}, otherwise nothing. */
    static ProgressBars open(String task, boolean enabled) {
        if (!enabled || !stderrIsTerminal()) {
            return new ProgressBars(null);
        }
        ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(100)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200).clearDisplayOnFinish().build();
        return new ProgressBars(b);
    }

    ProgressListener listener() {
        if (bar == null) {
            return ProgressListener.NONE;
        }
        return (done, total, message) -> {
            if (total > 0) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
            bar.setExtraMessage(message);
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
