package org.pdediff.train;

import org.pdediff.core.Batch;
import org.pdediff.sde.Sde;

/**
 * Input scaling from the data's mean μ and mean per-coordinate variance v (EDM-style c_in): the marginal p_t has mean
 * α(t)μ and per-coordinate variance α(t)²v + σ(t)², so u = c_in(t)(x − α(t)μ) with c_in = 1/√(α²v + σ²) is O(1)
 * for every t and every SDE of M1 (including VE, whose σ reaches 50).
 *
 * @param mean     μ (length d)
 * @param variance v &gt; 0
 */
public record Preconditioning(double[] mean, double variance) {
    public Preconditioning {
        mean = mean.clone();
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("data variance must be finite and > 0, got " + variance);
        }
    }

    /** μ and v of a data set (v floored at 1e-12 so that a one-point data set still works). */
    public static Preconditioning of(Batch data) {
        double[] m = data.mean();
        double[] c = data.covariance();
        int d = data.dim();
        double v = 0;
        for (int j = 0; j < d; j++) {
            v += c[j * d + j];
        }
        v = Math.max(v / d, 1e-12);
        return new Preconditioning(m, v);
    }

    /** c_in(t) = 1/√(α²v + σ²). */
    public double cin(Sde sde, double t) {
        double a = sde.alpha(t);
        return 1 / Math.sqrt(a * a * variance + sde.sigma2(t));
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preconditioning p && java.util.Arrays.equals(mean, p.mean) && variance == p.variance;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(mean) * 31 + Double.hashCode(variance);
    }
}
