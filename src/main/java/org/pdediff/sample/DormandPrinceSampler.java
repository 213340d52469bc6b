package org.pdediff.sample;

import java.util.Arrays;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/**
 * The probability-flow ODE (M7) by the adaptive embedded Runge–Kutta pair of Dormand and Prince, order 5(4), with
 * FSAL (first same as last: 6 new evaluations per step), local extrapolation, and the standard controller
 * h ← h·min(5, max(0.2, 0.9·err^{−1/5})). The error norm is the RMS over all particles and coordinates of
 * e / (atol + rtol·max(|x|, |x_new|)), the convention of scipy's {@code solve_ivp} that score_sde uses on the
 * flattened batch; the accuracy is therefore controlled for the batch as a whole. Steps are clipped to land exactly
 * on the recording times and on ε. Reports function evaluations and rejected steps.
 */
final class DormandPrinceSampler extends AbstractSampler {
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[] B5 = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
    private static final double[] B4 = {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40};

    private int rejected;

    DormandPrinceSampler(SamplingOptions opts) {
        super(opts);
    }

    @Override
    protected int rejected() {
        return rejected;
    }

    @Override
    protected void step(Run run, int k, boolean last) {
        throw new IllegalStateException("adaptive");
    }

    /**
     * Integrates in forward variable τ = T − t from 0 to T − ε: dy/dτ = −F(y, T − τ).
     */
    @Override
    protected int integrate(Run run) {
        double tStart = run.grid.start();
        double tEnd = run.grid.end();
        double[] stops = stops(run, tStart, tEnd);
        int n = run.n;
        int d = run.d;
        Batch[] kk = new Batch[7];
        for (int i = 0; i < 7; i++) {
            kk[i] = Batch.zeros(n, d);
        }
        Batch stage = Batch.zeros(n, d);
        Batch y5 = Batch.zeros(n, d);
        double[] x = run.x.data();
        double t = tStart;
        // k0 = dy/dτ at τ = 0
        rhs(run, run.x, t, kk[0]);
        double h = Math.min(0.01 * (tStart - tEnd), initialStep(run, kk[0]));
        int accepted = 0;
        rejected = 0;
        int stopIdx = 0;
        double total = tStart - tEnd;
        while (t > tEnd) {
            if (accepted + rejected >= opts.maxSteps()) {
                throw new InvalidInputException("dp45 exceeded " + opts.maxSteps() + " steps before reaching eps=" + tEnd);
            }
            double target = stops[stopIdx];
            boolean hitStop = false;
            if (t - h <= target + 1e-14 * Math.max(1, Math.abs(target))) {
                h = t - target;
                hitStop = true;
            }
            for (int s = 1; s < 7; s++) {
                double[] st = stage.data();
                System.arraycopy(x, 0, st, 0, x.length);
                for (int j = 0; j < s; j++) {
                    double c = h * A[s][j];
                    if (c != 0) {
                        double[] kj = kk[j].data();
                        for (int q = 0; q < st.length; q++) {
                            st[q] += c * kj[q];
                        }
                    }
                }
                rhs(run, stage, t - C[s] * h, kk[s]);
            }
            // stage 6 evaluated at the 5th-order solution (FSAL): the last stage equals y5
            double[] y = y5.data();
            System.arraycopy(stage.data(), 0, y, 0, y.length);
            double err = 0;
            for (int q = 0; q < y.length; q++) {
                double e = 0;
                for (int j = 0; j < 7; j++) {
                    e += (B5[j] - B4[j]) * kk[j].data()[q];
                }
                e *= h;
                double sc = opts.atol() + opts.rtol() * Math.max(Math.abs(x[q]), Math.abs(y[q]));
                err += (e / sc) * (e / sc);
            }
            err = Math.sqrt(err / y.length);
            if (err <= 1 || h < 1e-14 * total) {
                System.arraycopy(y, 0, x, 0, x.length);
                t = hitStop ? target : t - h;
                System.arraycopy(kk[6].data(), 0, kk[0].data(), 0, x.length);
                accepted++;
                if (hitStop) {
                    run.recordAtTime(t);
                    stopIdx = Math.min(stopIdx + 1, stops.length - 1);
                }
                opts.listener().progress(Math.round(1000 * (tStart - t) / total), 1000, "t=" + fmt(t) + " h=" + fmt(h));
                h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2)));
            } else {
                rejected++;
                h *= Math.max(0.2, 0.9 * Math.pow(err, -0.2));
            }
        }
        return accepted;
    }

    /** dy/dτ = −F(y, t) = a(t)y + ½g²(t)s(y, t). */
    private static void rhs(Run run, Batch y, double t, Batch out) {
        ProbabilityFlowSampler.velocity(run, y, t, out);
        double[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            o[q] = -o[q];
        }
    }

    /** Hairer's first guess h = 0.01·‖y‖/‖f‖ (scaled norms), at least 1e-6. */
    private double initialStep(Run run, Batch f0) {
        double[] x = run.x.data();
        double[] f = f0.data();
        double d0 = 0;
        double d1 = 0;
        for (int q = 0; q < x.length; q++) {
            double sc = opts.atol() + opts.rtol() * Math.abs(x[q]);
            d0 += (x[q] / sc) * (x[q] / sc);
            d1 += (f[q] / sc) * (f[q] / sc);
        }
        d0 = Math.sqrt(d0 / x.length);
        d1 = Math.sqrt(d1 / x.length);
        return (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    }

    /** The decreasing stop times: recording times strictly inside (ε, T), then ε. */
    private double[] stops(Run run, double tStart, double tEnd) {
        double[] rec = opts.recordTimes();
        double[] inside = Arrays.stream(rec).filter(r -> r < tStart && r > tEnd).distinct().toArray();
        Arrays.sort(inside);
        double[] out = new double[inside.length + 1];
        for (int i = 0; i < inside.length; i++) {
            out[i] = inside[inside.length - 1 - i];
        }
        out[inside.length] = tEnd;
        return out;
    }
}
