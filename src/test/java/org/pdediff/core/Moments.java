package org.pdediff.core;

/**
 * Test helper: sample moments of a batch with their standard errors, for "within k standard errors" oracles.
 *
 * <p>The standard error of a sample mean is √(C_jj/n). The standard error of a sample covariance entry is
 * √((μ₄ − C_ab²)/n) with the plug-in fourth moment μ₄ = mean((x_a − m_a)²(x_b − m_b)²), which is correct for any law
 * with finite fourth moments (not only Gaussians: mixtures have excess kurtosis). Bounds of 5 standard errors are
 * exceeded with probability ≈ 6·10⁻⁷ per check for a normal statistic; all tests use fixed seeds so they are
 * deterministic.
 */
public final class Moments {
    private Moments() {
    }

    /** Standard errors of the column means. */
    public static double[] meanStdErr(Batch b) {
        double[] c = b.covariance();
        int d = b.dim();
        double[] se = new double[d];
        for (int j = 0; j < d; j++) {
            se[j] = Math.sqrt(c[j * d + j] / b.size());
        }
        return se;
    }

    /** Standard errors of the covariance entries (row-major d × d), plug-in fourth moments. */
    public static double[] covStdErr(Batch b) {
        int n = b.size();
        int d = b.dim();
        double[] m = b.mean();
        double[] c = b.covariance();
        double[] m4 = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double xa = b.get(i, a) - m[a];
                for (int q = 0; q < d; q++) {
                    double xb = b.get(i, q) - m[q];
                    m4[a * d + q] += xa * xa * xb * xb;
                }
            }
        }
        double[] se = new double[d * d];
        for (int k = 0; k < d * d; k++) {
            se[k] = Math.sqrt(Math.max(0, m4[k] / n - c[k] * c[k]) / n);
        }
        return se;
    }

    /** Pearson correlation of two equally long sequences. */
    public static double correlation(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
