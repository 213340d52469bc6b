package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Linalg;
import org.pdediff.data.GaussianMixture;
import org.pdediff.sde.Sde;

/**
 * The analytic score of a Gaussian-mixture data law under any SDE of M1 (M11): component k at time t is
 * N(m_k, V_k) with m_k = αμ_k, V_k = α²Σ_k + σ²I; with g_k = −V_k⁻¹(x − m_k) and responsibilities
 * π_k ∝ w_k N(x; m_k, V_k) (log-sum-exp), s = Σ π_k g_k, ∇s = Σ π_k(−V_k⁻¹) + Σ π_k g_k g_kᵀ − s sᵀ.
 */
public final class GaussianMixtureScore extends ClosedFormScore {
    private final GaussianMixture law;
    private final int k;

    public GaussianMixtureScore(Sde sde, GaussianMixture law) {
        super(sde, law.dim(), "a mixture score");
        this.law = law;
        this.k = law.components();
    }

    public GaussianMixture law() {
        return law;
    }

    /** Per-time quantities: means m_k, inverses V_k⁻¹, and log w_k − ½ log det V_k. */
    private record AtTime(double[][] m, double[][] vinv, double[] logc) {
    }

    private AtTime at(double t) {
        GaussianMixture pt = law.scaledAndBlurred(sde.alpha(t), sde.sigma2(t));
        double[][] m = new double[k][];
        double[][] vinv = new double[k][];
        double[] logc = new double[k];
        for (int c = 0; c < k; c++) {
            m[c] = pt.mean(c);
            double[] l = Linalg.cholesky(pt.covariance(c), d);
            if (l == null) {
                throw new InvalidInputException("mixture component " + c + " is degenerate at t=" + t + " (use t > 0)");
            }
            vinv[c] = Linalg.inverseFromCholesky(l, d);
            logc[c] = Math.log(law.weight(c)) - 0.5 * Linalg.logDetFromCholesky(l, d);
        }
        return new AtTime(m, vinv, logc);
    }

    /**
     * For point i, fills pi (responsibilities), g (k × d component scores) and s (the score); returns
     * log Σ_k w_k N(x; m_k, V_k) + (d/2) log 2π.
     */
    private double point(AtTime at, double[] x, int off, double[] pi, double[] g, double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double q = 0;
            for (int i = 0; i < d; i++) {
                double gi = 0;
                for (int j = 0; j < d; j++) {
                    gi -= at.vinv[c][i * d + j] * (x[off + j] - at.m[c][j]);
                }
                g[c * d + i] = gi;
                q -= gi * (x[off + i] - at.m[c][i]); // (x−m)ᵀV⁻¹(x−m) = −gᵀ(x−m)
            }
            pi[c] = at.logc[c] - 0.5 * q;
            max = Math.max(max, pi[c]);
        }
        double z = 0;
        for (int c = 0; c < k; c++) {
            pi[c] = Math.exp(pi[c] - max);
            z += pi[c];
        }
        java.util.Arrays.fill(s, 0);
        for (int c = 0; c < k; c++) {
            pi[c] /= z;
            for (int i = 0; i < d; i++) {
                s[i] += pi[c] * g[c * d + i];
            }
        }
        return max + Math.log(z);
    }

    /** What one point's pass gives: responsibilities π, component scores g, the score s and log-normaliser. */
    @FunctionalInterface
    private interface PointSink {
        void accept(int n, AtTime at, double logSum, double[] pi, double[] g, double[] s);
    }

    /** Runs {@link #point} over every row of x at time t. */
    private void forEachPoint(Batch x, double t, PointSink sink) {
        requireDim(x);
        AtTime at = at(t);
        double[] pi = new double[k];
        double[] g = new double[k * d];
        double[] s = new double[d];
        for (int n = 0; n < x.size(); n++) {
            double logSum = point(at, x.data(), n * d, pi, g, s);
            sink.accept(n, at, logSum, pi, g, s);
        }
    }

    @Override
    public void score(Batch x, double t, Batch out) {
        forEachPoint(x, t, (n, at, logSum, pi, g, s) -> System.arraycopy(s, 0, out.data(), n * d, d));
    }

    @Override
    public void jacobian(Batch x, double t, double[] out) {
        int dd = d * d;
        forEachPoint(x, t, (n, at, logSum, pi, g, s) -> {
            int o = n * dd;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double v = -s[a] * s[b];
                    for (int c = 0; c < k; c++) {
                        v += pi[c] * (g[c * d + a] * g[c * d + b] - at.vinv[c][a * d + b]);
                    }
                    out[o + a * d + b] = v;
                }
            }
        });
    }

    /** log p_t(x) = log Σ_k w_k N(x; m_k, V_k), by log-sum-exp over the components. */
    @Override
    public void logDensity(Batch x, double t, double[] out) {
        double c = -0.5 * d * Math.log(2 * Math.PI);
        forEachPoint(x, t, (n, at, logSum, pi, g, s) -> out[n] = logSum + c);
    }

    @Override
    public String describe() {
        return "gmm(k=" + k + ")";
    }
}
