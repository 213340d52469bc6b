package org.pdediff.sample;

import org.pdediff.core.InvalidInputException;

/**
 * The one explicit Runge–Kutta engine over {@link ButcherTableau}s, modelled on Hipparchus' ode module: fixed steps
 * for any tableau, and adaptive steps with the standard controller for embedded pairs. Steps are signed (H &lt; 0
 * integrates backwards in t). An instance holds the stage buffers of one integration: it is created per run and is
 * not shared between threads.
 *
 * <p>Adaptive control (Hairer, Nørsett &amp; Wanner I, §II.4; scipy's {@code solve_ivp}): with
 * e = H Σ (b_i − b̂_i) k_i and sc_q = atol + rtol·max(|y_q|, |y_new,q|), the step is accepted when
 * err = ‖e/sc‖ ≤ 1, where the norm is the RMS over all components ({@link ErrorNorm#RMS}) or the largest RMS over
 * groups of components ({@link ErrorNorm#maxOverGroups}); then |H| ← |H|·min(5, max(0.2, 0.9·err^{−1/(q+1)})) with q
 * the embedded order; rejected steps shrink by max(0.2, 0.9·err^{−1/(q+1)}). The first step is Hairer's guess
 * 0.01·‖y‖/‖F‖ (at least 1e-6), capped at 1% of the span. Steps are clipped to land exactly on the stop times.
 */
final class RungeKutta {
    /** How the scaled local error e_q / sc_q is reduced to one number. */
    @FunctionalInterface
    interface ErrorNorm {
        /** RMS over all components (scipy, torchdiffeq, score_sde's flattened batch). */
        ErrorNorm RMS = r -> {
            double s = 0;
            for (double v : r) {
                s += v * v;
            }
            return Math.sqrt(s / r.length);
        };

        double norm(double[] scaledError);

        /**
         * The largest RMS over groups: component q belongs to group {@code group(q)}; every group (e.g. every point
         * of a batch, with its own augmented components) then meets the tolerance on its own.
         */
        static ErrorNorm maxOverGroups(int groups, java.util.function.IntUnaryOperator group) {
            return r -> {
                double[] s = new double[groups];
                int[] c = new int[groups];
                for (int q = 0; q < r.length; q++) {
                    int g = group.applyAsInt(q);
                    s[g] += r[q] * r[q];
                    c[g]++;
                }
                double m = 0;
                for (int g = 0; g < groups; g++) {
                    if (c[g] > 0) {
                        m = Math.max(m, Math.sqrt(s[g] / c[g]));
                    }
                }
                return m;
            };
        }
    }

    /** Receives every accepted step of an adaptive integration. */
    @FunctionalInterface
    interface AcceptedStep {
        /**
         * @param step     accepted steps so far (1-based)
         * @param t        the time reached
         * @param h        the signed step just taken
         * @param y        the state at t (not to be modified)
         * @param stopHit  index of the stop time landed on, or −1
         */
        void accepted(int step, double t, double h, double[] y, int stopHit);
    }

    /** Counts of an adaptive integration. */
    record Counts(int accepted, int rejected) {
    }

    private final ButcherTableau tableau;
    private final OdeSystem system;
    private final double[][] k;
    private final double[] stage;

    RungeKutta(ButcherTableau tableau, OdeSystem system, int length) {
        this.tableau = tableau;
        this.system = system;
        this.k = new double[tableau.stages()][length];
        this.stage = new double[length];
    }

    /** stage ← y + Σ_{j&lt;i} (H a_ij) k_j, skipping zero coefficients. */
    private void stage(int i, double[] y, double h) {
        System.arraycopy(y, 0, stage, 0, y.length);
        double[] ai = tableau.a()[i];
        for (int j = 0; j < i; j++) {
            double c = h * ai[j];
            if (c != 0) {
                double[] kj = k[j];
                for (int q = 0; q < stage.length; q++) {
                    stage[q] += c * kj[q];
                }
            }
        }
    }

    /** One fixed step of size H (signed) from (t, y); y is advanced in place. Costs {@code stages()} evaluations. */
    void step(double t, double h, double[] y) {
        int s = tableau.stages();
        double[] c = tableau.c();
        system.derivative(t, y, k[0]);
        for (int i = 1; i < s; i++) {
            stage(i, y, h);
            system.derivative(t + c[i] * h, stage, k[i]);
        }
        double[] b = tableau.bNum();
        double w = h / tableau.bDen();
        double[] k0 = k[0];
        for (int q = 0; q < y.length; q++) {
            double sum = b[0] == 1 ? k0[q] : b[0] * k0[q];
            for (int i = 1; i < s; i++) {
                if (b[i] != 0) {
                    sum += b[i] == 1 ? k[i][q] : b[i] * k[i][q];
                }
            }
            y[q] += w * sum;
        }
    }

    /**
     * Integrates adaptively from (t0, y) through the monotone stop times {@code stops} (the last is the end), landing
     * exactly on each; y is advanced in place. Costs 1 + evaluationsPerStep·(accepted + rejected) evaluations for an
     * FSAL pair.
     *
     * @param what a short name for messages, e.g. "dp45"
     */
    Counts integrate(double t0, double[] y, double[] stops, double rtol, double atol, int maxSteps, ErrorNorm norm,
                     AcceptedStep observer, String what) {
        if (!tableau.adaptive()) {
            throw new IllegalArgumentException(tableau.name() + " has no embedded error estimate");
        }
        double tEnd = stops[stops.length - 1];
        boolean backward = tEnd < t0;
        double total = Math.abs(t0 - tEnd);
        int s = tableau.stages();
        double[] c = tableau.c();
        double[] b = tableau.bNum();
        double[] err = tableau.error();
        double exponent = -1.0 / (tableau.errorOrder() + 1);
        double[] yNew = new double[y.length];
        double[] ratio = new double[y.length];
        double t = t0;
        system.derivative(t, y, k[0]);
        double h = Math.min(0.01 * total, initialStep(y, k[0], rtol, atol));
        int accepted = 0;
        int rejected = 0;
        int stopIdx = 0;
        while (backward ? t > tEnd : t < tEnd) {
            if (accepted + rejected >= maxSteps) {
                throw new InvalidInputException(what + " exceeded " + maxSteps + " steps before reaching t=" + tEnd);
            }
            double target = stops[stopIdx];
            boolean hitStop = false;
            double slack = 1e-14 * Math.max(1, Math.abs(target));
            if (backward ? t - h <= target + slack : t + h >= target - slack) {
                h = backward ? t - target : target - t;
                hitStop = true;
            }
            double hs = backward ? -h : h;
            for (int i = 1; i < s; i++) {
                stage(i, y, hs);
                system.derivative(t + c[i] * hs, stage, k[i]);
            }
            if (tableau.fsal()) {
                System.arraycopy(stage, 0, yNew, 0, y.length);
            } else {
                double w = hs / tableau.bDen();
                for (int q = 0; q < y.length; q++) {
                    double sum = 0;
                    for (int i = 0; i < s; i++) {
                        sum += b[i] * k[i][q];
                    }
                    yNew[q] = y[q] + w * sum;
                }
            }
            for (int q = 0; q < y.length; q++) {
                double e = 0;
                for (int j = 0; j < s; j++) {
                    e += err[j] * k[j][q];
                }
                e *= hs;
                double sc = atol + rtol * Math.max(Math.abs(y[q]), Math.abs(yNew[q]));
                ratio[q] = e / sc;
            }
            double en = norm.norm(ratio);
            if (en <= 1 || h < 1e-14 * total) {
                System.arraycopy(yNew, 0, y, 0, y.length);
                t = hitStop ? target : t + hs;
                if (tableau.fsal()) {
                    System.arraycopy(k[s - 1], 0, k[0], 0, y.length);
                } else if (backward ? t > tEnd : t < tEnd) {
                    system.derivative(t, y, k[0]);
                }
                accepted++;
                int hit = -1;
                if (hitStop) {
                    hit = stopIdx;
                    stopIdx = Math.min(stopIdx + 1, stops.length - 1);
                }
                observer.accepted(accepted, t, hs, y, hit);
                h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(en, 1e-10), exponent)));
            } else {
                rejected++;
                // a non-finite error (NaN in a stage) shrinks the step as far as allowed; the step then accepted at
                // the smallest size hands the non-finite state to the observer, which names it
                h *= Double.isNaN(en) ? 0.2 : Math.max(0.2, 0.9 * Math.pow(en, exponent));
            }
        }
        return new Counts(accepted, rejected);
    }

    /** Hairer's first guess h = 0.01·‖y‖/‖F‖ (RMS norms scaled by atol + rtol|y|), 1e-6 when either is tiny. */
    private static double initialStep(double[] y, double[] f, double rtol, double atol) {
        double d0 = 0;
        double d1 = 0;
        for (int q = 0; q < y.length; q++) {
            double sc = atol + rtol * Math.abs(y[q]);
            d0 += (y[q] / sc) * (y[q] / sc);
            d1 += (f[q] / sc) * (f[q] / sc);
        }
        d0 = Math.sqrt(d0 / y.length);
        d1 = Math.sqrt(d1 / y.length);
        return (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    }
}
