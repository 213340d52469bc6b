package org.pdediff.sample;

import org.pdediff.core.Batch;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.sde.Sde;

/**
 * Stops a run whose particles blew up: after every step (and at the end) every coordinate must be finite and at most
 * B in absolute value, else {@link NumericalFailureException} naming the sampler, the step, the time, the particle
 * and the coordinate.
 *
 * <p>The bound: under every SDE of M1 the marginal p_t is the data law scaled by α(t) ≤ 1 and blurred by N(0, σ(t)²I);
 * reverse dynamics that track it stay within a few standard deviations of α(t)·(data) plus the noise scale, which is
 * at most the prior's standard deviation √v_T (the largest σ reached, up to the α-scaling). We take
 * B = 10⁸·max(1, √v_T, max|x_T|) (x_T the start particles, which covers data and starts of any scale): a factor 10⁸
 * above the largest scale of the problem is reached only by an unstable step, which grows geometrically, so the check
 * never fires on a run that is merely inaccurate and catches a divergent one a few steps before it overflows to ±Inf
 * or NaN.
 */
final class FinitenessCheck implements StepHandler {
    /** The margin factor of the bound above the problem's largest scale. */
    static final double MARGIN = 1e8;

    private final String what;
    private final double bound;
    private final long firstParticle;

    FinitenessCheck(String what, Sde sde, Batch start, long firstParticle) {
        this.what = what;
        this.firstParticle = firstParticle;
        double m = 1;
        for (double v : start.data()) {
            m = Math.max(m, Math.abs(v));
        }
        this.bound = MARGIN * Math.max(m, Math.sqrt(sde.priorVariance()));
    }

    /** The bound B on |x| (see the class comment). */
    double bound() {
        return bound;
    }

    @Override
    public void handleStep(StepEvent e) {
        check(e.x(), "step " + e.step(), e.t());
    }

    @Override
    public void finish(double t, Batch x) {
        check(x, "the end", t);
    }

    private void check(Batch x, String where, double t) {
        double[] a = x.data();
        for (int q = 0; q < a.length; q++) {
            double v = a[q];
            if (!(Math.abs(v) <= bound)) {
                int d = x.dim();
                throw new NumericalFailureException(what + " diverged at " + where + " (t=" + ProgressHandler.fmt(t)
                        + "): particle " + (firstParticle + q / d) + ", coordinate " + q % d + " is " + v
                        + (Double.isFinite(v) ? " (|x| > " + String.format(java.util.Locale.ROOT, "%.3g", bound) + ")" : "")
                        + "; try more steps, a finer grid near eps or a larger eps");
            }
        }
    }
}
