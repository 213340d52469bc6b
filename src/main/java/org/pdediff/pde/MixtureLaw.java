package org.pdediff.pde;

import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Linalg;
import org.pdediff.core.Normal;
import org.pdediff.data.GaussianMixture;
import org.pdediff.sde.Sde;

/**
 * A Gaussian mixture Σ w_k N(m_k, V_k) in closed form: the exact law p_t of every linear SDE of M1 started from a
 * Gaussian-mixture data law (M11: m_k = α(t)μ_k, V_k = α(t)²Σ_k + σ(t)²I) or from a finite sample
 * (M10: p_t = (1/N) Σ_j N(α(t)y_j, σ(t)²I)). Used as initial data of the forward solver and as the reference law
 * against which grid solutions are measured.
 */
public final class MixtureLaw {
    private final double[] w;
    private final double[][] m;
    private final double[][] v;
    private final int d;
    private final boolean diagonal;

    private MixtureLaw(double[] w, double[][] m, double[][] v) {
        this.w = w;
        this.m = m;
        this.v = v;
        this.d = m[0].length;
        boolean diag = true;
        for (double[] c : v) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    if (a != b && c[a * d + b] != 0) {
                        diag = false;
                    }
                }
                if (!(c[a * d + a] > 0)) {
                    throw new InvalidInputException("mixture law has a degenerate component (variance " + c[a * d + a]
                            + "); use a time t > 0");
                }
            }
        }
        this.diagonal = diag;
    }

    /** p_t of a Gaussian-mixture data law under {@code sde} (M11). Needs t &gt; 0 unless every Σ_k is non-singular. */
    public static MixtureLaw atTime(GaussianMixture law, Sde sde, double t) {
        return of(law.scaledAndBlurred(sde.alpha(t), sde.sigma2(t)));
    }

    /** p_t of the empirical law of a finite sample under {@code sde} (M10): equal weights, N(α y_j, σ² I). */
    public static MixtureLaw finiteSample(Batch points, Sde sde, double t) {
        int n = points.size();
        int d = points.dim();
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double[] w = new double[n];
        double[][] m = new double[n][d];
        double[][] v = new double[n][d * d];
        java.util.Arrays.fill(w, 1.0 / n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = a * points.get(i, j);
                v[i][j * d + j] = s2;
            }
        }
        return new MixtureLaw(w, m, v);
    }

    /** A mixture given directly (weights are normalised). */
    public static MixtureLaw of(GaussianMixture law) {
        int k = law.components();
        double[] w = new double[k];
        double[][] m = new double[k][];
        double[][] v = new double[k][];
        for (int c = 0; c < k; c++) {
            w[c] = law.weight(c);
            m[c] = law.mean(c);
            v[c] = law.covariance(c);
        }
        return new MixtureLaw(w, m, v);
    }

    public int dim() {
        return d;
    }

    public int components() {
        return w.length;
    }

    /** The density at each point of x. */
    public double[] density(Batch x) {
        if (x.dim() != d) {
            throw new InvalidInputException("mixture of dimension " + d + " evaluated at points of dimension " + x.dim());
        }
        int k = w.length;
        double[][] inv = new double[k][];
        double[] logc = new double[k];
        for (int c = 0; c < k; c++) {
            double[] l = Linalg.cholesky(v[c], d);
            inv[c] = Linalg.inverseFromCholesky(l, d);
            logc[c] = Math.log(w[c]) - 0.5 * Linalg.logDetFromCholesky(l, d) - 0.5 * d * Math.log(2 * Math.PI);
        }
        double[] out = new double[x.size()];
        double[] z = new double[d];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                double q = 0;
                for (int a = 0; a < d; a++) {
                    z[a] = x.get(i, a) - m[c][a];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        q += z[a] * inv[c][a * d + b] * z[b];
                    }
                }
                s += Math.exp(logc[c] - 0.5 * q);
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * The exact cell averages (1/|cell|)∫_cell p on a grid: products of Gaussian interval probabilities (erf) for
     * diagonal covariances, exact to rounding; a 6 × 6 Gauss–Legendre rule per cell for non-diagonal ones (accurate
     * when the components are wider than a cell).
     */
    public GridDensity cellAverages(Grid grid, double t) {
        if (grid.dim() != d) {
            throw new InvalidInputException("grid of dimension " + grid.dim() + " for a law of dimension " + d);
        }
        double[] out = new double[grid.cells()];
        if (diagonal) {
            int n0 = grid.n(0);
            double vol = grid.cellVolume();
            double[] p0 = new double[n0];
            double[] p1 = d == 2 ? new double[grid.n(1)] : null;
            for (int c = 0; c < w.length; c++) {
                int[] r0 = axisMasses(grid, 0, m[c][0], Math.sqrt(v[c][0]), p0);
                if (d == 1) {
                    for (int i = r0[0]; i < r0[1]; i++) {
                        out[i] += w[c] * p0[i] / vol;
                    }
                } else {
                    int[] r1 = axisMasses(grid, 1, m[c][1], Math.sqrt(v[c][3]), p1);
                    int n1 = grid.n(1);
                    for (int i = r0[0]; i < r0[1]; i++) {
                        double a = w[c] * p0[i] / vol;
                        if (a == 0) {
                            continue;
                        }
                        int off = i * n1;
                        for (int j = r1[0]; j < r1[1]; j++) {
                            out[off + j] += a * p1[j];
                        }
                    }
                }
            }
        } else {
            quadrature(grid, out);
        }
        return new GridDensity(grid, out, t);
    }

    /**
     * Fills the interval masses of N(mean, sd²) over the cells of axis j; returns the index range touched. One erfc per
     * edge: the tail that is accurate at that edge (upper for z ≥ 0, lower for z &lt; 0), and differences taken
     * within the same tail, as in {@link Normal#interval}.
     */
    private static int[] axisMasses(Grid grid, int j, double mean, double sd, double[] p) {
        int n = grid.n(j);
        double h = grid.h(j);
        double lo = grid.lo(j);
        // Beyond 39 standard deviations the mass is below the smallest double: skip those cells.
        int from = (int) Math.max(0, Math.floor((mean - 39 * sd - lo) / h));
        int to = (int) Math.min(n, Math.ceil((mean + 39 * sd - lo) / h) + 1);
        if (to <= from) {
            return new int[] {from, from};
        }
        double za = (lo + from * h - mean) / sd;
        double ta = za >= 0 ? Normal.upperTail(za) : Normal.cdf(za);
        for (int i = from; i < to; i++) {
            double zb = (lo + (i + 1) * h - mean) / sd;
            double tb = zb >= 0 ? Normal.upperTail(zb) : Normal.cdf(zb);
            double m;
            if (za >= 0) {
                m = ta - tb;
            } else if (zb <= 0) {
                m = tb - ta;
            } else {
                m = 1 - ta - tb;
            }
            p[i] = Math.max(0, m);
            za = zb;
            ta = tb;
        }
        return new int[] {from, to};
    }

    private static final double[] GL_X = {-0.9324695142031521, -0.6612093864662645, -0.2386191860831909,
        0.2386191860831909, 0.6612093864662645, 0.9324695142031521};
    private static final double[] GL_W = {0.1713244923791704, 0.3607615730481386, 0.4679139345726910,
        0.4679139345726910, 0.3607615730481386, 0.1713244923791704};

    private void quadrature(Grid grid, double[] out) {
        int q = GL_X.length;
        int cells = grid.cells();
        int nodes = d == 1 ? q : q * q;
        Batch pts = Batch.zeros(cells * nodes, d);
        double[] wt = new double[nodes];
        int idx = 0;
        Batch centres = grid.centres();
        for (int cell = 0; cell < cells; cell++) {
            for (int a = 0; a < (d == 1 ? 1 : q); a++) {
                for (int b = 0; b < q; b++) {
                    if (d == 1) {
                        pts.set(idx, 0, centres.get(cell, 0) + 0.5 * grid.h(0) * GL_X[b]);
                        wt[b] = 0.5 * GL_W[b];
                    } else {
                        pts.set(idx, 0, centres.get(cell, 0) + 0.5 * grid.h(0) * GL_X[a]);
                        pts.set(idx, 1, centres.get(cell, 1) + 0.5 * grid.h(1) * GL_X[b]);
                        wt[a * q + b] = 0.25 * GL_W[a] * GL_W[b];
                    }
                    idx++;
                }
            }
        }
        double[] f = density(pts);
        for (int cell = 0; cell < cells; cell++) {
            double s = 0;
            for (int k = 0; k < nodes; k++) {
                s += wt[k] * f[cell * nodes + k];
            }
            out[cell] = s;
        }
    }
}
