package org.pdediff.pde;

import java.util.Arrays;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.Sde;

/**
 * The time levels of a PDE solve: graded so that every output time is a level and the steps are uniform in the
 * warped time ψ(t) = ln(σ(t)² + δ) − ln α(t) + t/T. The first term resolves the fast start (the law changes on the
 * scale of its variance σ² + δ, δ = the variance floor the grid can see), the second the contraction of vp/subvp/ou,
 * the third keeps steps bounded where both are flat. ψ is smooth and increasing for every SDE of M1, so a scheme of
 * order q in uniform steps keeps order q on this mesh.
 */
public final class TimeMesh {
    private TimeMesh() {
    }

    /** ψ(t). */
    static double psi(Sde sde, double t, double floor) {
        return Math.log(sde.sigma2(t) + floor) - Math.log(sde.alpha(t)) + t / sde.T();
    }

    /**
     * Levels from {@code from} to the output times in order (increasing or decreasing), about {@code steps} steps in
     * all, at least one per segment; outputs are exact levels. Returns the levels and, in {@code outputIndex}, the level
     * index of each output time.
     */
    static double[] levels(Sde sde, double from, double[] outputs, int steps, double floor, int[] outputIndex) {
        if (steps < 1) {
            throw new InvalidInputException("need at least 1 time step, got " + steps);
        }
        double total = Math.abs(psi(sde, outputs[outputs.length - 1], floor) - psi(sde, from, floor));
        double[] out = new double[steps + outputs.length + 1];
        int m = 0;
        out[m++] = from;
        double a = from;
        for (int o = 0; o < outputs.length; o++) {
            double b = outputs[o];
            double pa = psi(sde, a, floor);
            double pb = psi(sde, b, floor);
            int ns = a == b ? 0 : Math.max(1, (int) Math.round(steps * Math.abs(pb - pa) / total));
            if (m + ns + outputs.length >= out.length) {
                out = Arrays.copyOf(out, m + ns + outputs.length + 1);
            }
            for (int s = 1; s < ns; s++) {
                out[m++] = inverse(sde, pa + (pb - pa) * s / ns, a, b, floor);
            }
            if (ns > 0) {
                out[m++] = b;
            }
            outputIndex[o] = m - 1;
            a = b;
        }
        return Arrays.copyOf(out, m);
    }

    private static double inverse(Sde sde, double target, double a, double b, double floor) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        for (int it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, hi); it++) {
            double mid = 0.5 * (lo + hi);
            if (psi(sde, mid, floor) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
