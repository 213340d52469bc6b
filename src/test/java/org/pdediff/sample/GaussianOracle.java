package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.pdediff.core.Batch;
import org.pdediff.data.GaussianMixture;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.sde.Sde;

/**
 * Gaussian data N(μ, s²I): p_t = N(αμ, v_t I) with v_t = α²s² + σ² for every SDE of M1, the score is linear, and the
 * probability-flow ODE (M7) keeps z = (x − α_tμ)/√v_t constant, so x_ε = α_εμ + √(v_ε/v_T)(x_T − α_Tμ) exactly.
 */
final class GaussianOracle {
    final Sde sde;
    final double[] mu;
    final double s;
    final GaussianMixtureScore score;

    GaussianOracle(Sde sde, double[] mu, double s) {
        this.sde = sde;
        this.mu = mu.clone();
        this.s = s;
        this.score = new GaussianMixtureScore(sde, GaussianMixture.isotropic(new double[][] {mu}, s));
    }

    double variance(double t) {
        double a = sde.alpha(t);
        return a * a * s * s + sde.sigma2(t);
    }

    /** The exact probability-flow map from time T to time t. */
    Batch flow(Batch xT, double T, double t) {
        Batch out = xT.copy();
        double aT = sde.alpha(T);
        double at = sde.alpha(t);
        double r = Math.sqrt(variance(t) / variance(T));
        int d = mu.length;
        for (int i = 0; i < out.size(); i++) {
            for (int j = 0; j < d; j++) {
                out.set(i, j, at * mu[j] + r * (xT.get(i, j) - aT * mu[j]));
            }
        }
        return out;
    }

    /** n points of the exact p_t, from a fixed seed. */
    Batch sampleAt(double t, int n, long seed) {
        Batch b = Batch.zeros(n, mu.length);
        org.pdediff.core.RandomStream.of(seed).derive("oracle").fillNormal(b, 0, 0);
        double a = sde.alpha(t);
        double sd = Math.sqrt(variance(t));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mu.length; j++) {
                b.set(i, j, a * mu[j] + sd * b.get(i, j));
            }
        }
        return b;
    }

    static double maxAbsDiff(Batch a, Batch b) {
        double m = 0;
        for (int k = 0; k < a.data().length; k++) {
            m = Math.max(m, Math.abs(a.data()[k] - b.data()[k]));
        }
        return m;
    }

    static double[] meanVar(Batch b, int j) {
        double m = 0;
        for (int i = 0; i < b.size(); i++) {
            m += b.get(i, j);
        }
        m /= b.size();
        double v = 0;
        for (int i = 0; i < b.size(); i++) {
            v += (b.get(i, j) - m) * (b.get(i, j) - m);
        }
        return new double[] {m, v / (b.size() - 1)};
    }

    /**
     * The sample mean and variance of x match α_tμ and v_t up to the Monte-Carlo error (5 standard errors:
     * SE(mean) = √(v/n), SE(var) = v√(2/n)) plus a discretisation bias, given relative to √v (mean) and v (variance).
     */
    void assertLaw(Batch x, double t, double bias, String what) {
        GaussianOracle o = this;
        int n = x.size();
        double v = o.variance(t);
        double a = o.sde.alpha(t);
        for (int j = 0; j < o.mu.length; j++) {
            double[] mv = meanVar(x, j);
            assertThat(mv[0]).as("%s mean, coordinate %d", what, j).isCloseTo(a * o.mu[j],
                    org.assertj.core.data.Offset.offset(5 * Math.sqrt(v / n) + bias * Math.sqrt(v)));
            assertThat(mv[1]).as("%s variance, coordinate %d", what, j).isCloseTo(v,
                    org.assertj.core.data.Offset.offset(5 * v * Math.sqrt(2.0 / n) + bias * v));
        }
    }
}
