package org.pdediff.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.pdediff.sde.Sde;

/**
 * The FP residual of the network inside the autograd graph, for the penalty E[weight(t)·|r|^m] (P4, P3).
 *
 * <p>Score and noise outputs: the score-FP residual (M5); potential outputs: the log-density FP residual (M4). The
 * derivatives in x and t are the same central differences as {@link FpResidual} (same steps, same formulas) on
 * float64 forward passes; every forward pass depends on the parameters, so one ordinary first-order backward of the
 * penalty gives its exact parameter gradient (the gradient of the finite-difference residual). No second-order
 * autograd is used (see ../shared/notes/djl.md).
 */
final class FpRegulariser {
    private static final DataType F64 = DataType.FLOAT64;
    private final MlpGraph graph;
    private final Sde sde;

    FpRegulariser(MlpGraph graph, Sde sde) {
        this.graph = graph;
        this.sde = sde;
    }

    private static NDArray col(NDManager m, double[] v) {
        return MlpGraph.create(m, v, new Shape(v.length, 1), F64);
    }

    /** The k-th column of a (n × d) array as (n × 1), by a product with the unit vector e_k (differentiable). */
    private static NDArray column(NDManager m, NDArray a, int k, int d) {
        double[] e = new double[d];
        e[k] = 1;
        return a.mul(MlpGraph.create(m, e, new Shape(1, d), F64)).sum(new int[] {1}, true);
    }

    /**
     * The residual r at points x (row-major n × d) and per-row times t, with float64 parameters p: n × d for score
     * and noise outputs (M5), n × 1 for potentials (M4).
     */
    NDArray residual(NDManager m, NDList p, double[] x, double[] t, int n) {
        int d = graph.arch().dim();
        double[] h = new double[n];
        double[] tau = new double[n];
        double[] tp = new double[n];
        double[] tm = new double[n];
        double[] a = new double[n];
        double[] g2 = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = FpResidual.stepX(sde, t[i]);
            tau[i] = FpResidual.stepT(sde, t[i]);
            tp[i] = t[i] + tau[i];
            tm[i] = t[i] - tau[i];
            a[i] = sde.driftRate(t[i]);
            g2[i] = sde.g2(t[i]);
        }
        boolean potential = graph.arch().parameterisation() == Parameterisation.POTENTIAL;
        // Stencil in x with per-row steps: blocks x, x ± h e_k, and (for M5) x ± h e_j ± h e_k.
        int blocks = potential ? 1 + 2 * d : 1 + 2 * d + 2 * d * (d - 1);
        double[][] xb = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            xb[b] = x.clone();
        }
        int b = 1;
        for (int k = 0; k < d; k++) {
            shift(xb[b++], n, d, h, k, 1, -1, 0);
            shift(xb[b++], n, d, h, k, -1, -1, 0);
        }
        if (!potential) {
            for (int j = 0; j < d; j++) {
                for (int k = j + 1; k < d; k++) {
                    shift(xb[b++], n, d, h, j, 1, k, 1);
                    shift(xb[b++], n, d, h, j, 1, k, -1);
                    shift(xb[b++], n, d, h, j, -1, k, 1);
                    shift(xb[b++], n, d, h, j, -1, k, -1);
                }
            }
        }
        // One forward pass over all stencil blocks and the two time-shifted copies, then an (autograd-aware) split.
        double[] allX = new double[(blocks + 2) * n * d];
        double[] allT = new double[(blocks + 2) * n];
        for (int k = 0; k < blocks; k++) {
            System.arraycopy(xb[k], 0, allX, k * n * d, n * d);
            System.arraycopy(t, 0, allT, k * n, n);
        }
        System.arraycopy(x, 0, allX, blocks * n * d, n * d);
        System.arraycopy(tp, 0, allT, blocks * n, n);
        System.arraycopy(x, 0, allX, (blocks + 1) * n * d, n * d);
        System.arraycopy(tm, 0, allT, (blocks + 1) * n, n);
        MlpGraph.Rows all = graph.rows(allX, allT, (blocks + 2) * n);
        NDList parts = (potential ? graph.potential(m, p, all, F64) : graph.score(m, p, all, F64)).split(blocks + 2, 0);
        NDArray[] f = new NDArray[blocks];
        for (int k = 0; k < blocks; k++) {
            f[k] = parts.get(k);
        }
        NDArray fp = parts.get(blocks);
        NDArray fm = parts.get(blocks + 1);

        double[] inv2h = new double[n];
        double[] invh2 = new double[n];
        double[] inv4h2 = new double[n];
        double[] inv2tau = new double[n];
        for (int i = 0; i < n; i++) {
            inv2h[i] = 1 / (2 * h[i]);
            invh2[i] = 1 / (h[i] * h[i]);
            inv4h2[i] = 1 / (4 * h[i] * h[i]);
            inv2tau[i] = 1 / (2 * tau[i]);
        }
        NDArray cInv2h = col(m, inv2h);
        NDArray cInvh2 = col(m, invh2);
        NDArray cInv4h2 = col(m, inv4h2);
        NDArray cInv2tau = col(m, inv2tau);
        NDArray cA = col(m, a);
        NDArray cG2 = col(m, g2);
        NDArray xs = MlpGraph.create(m, x, new Shape(n, d), F64);
        NDArray dt = fp.sub(fm).mul(cInv2tau);
        if (potential) {
            // r = ∂_t q − [d·a + a x·∇q + ½g²(Δq + |∇q|²)]   (M4)
            NDArray lap = null;
            NDArray grad2 = null;
            NDArray xg = null;
            for (int k = 0; k < d; k++) {
                NDArray pk = f[1 + 2 * k];
                NDArray mk = f[2 + 2 * k];
                NDArray gk = pk.sub(mk).mul(cInv2h);
                NDArray lk = pk.sub(f[0].mul(2)).add(mk).mul(cInvh2);
                NDArray xk = column(m, xs, k, d);
                lap = lap == null ? lk : lap.add(lk);
                grad2 = grad2 == null ? gk.square() : grad2.add(gk.square());
                xg = xg == null ? gk.mul(xk) : xg.add(gk.mul(xk));
            }
            NDArray rhs = xg.mul(cA).add(cA.mul(d)).add(lap.add(grad2).mul(cG2).mul(0.5));
            return dt.sub(rhs);
        }
        // r = ∂_t s − [½g² ∇(∇·s) + g² Jᵀs + a(s + Jᵀx)]   (M5), J_jk = ∂_k s_j
        NDArray s0 = f[0];
        NDList cols = new NDList();
        for (int k = 0; k < d; k++) {
            NDArray pk = f[1 + 2 * k];
            NDArray mk = f[2 + 2 * k];
            NDArray jcol = pk.sub(mk).mul(cInv2h); // column k of J: ∂_k s_j for all j
            NDArray jts = jcol.mul(s0).sum(new int[] {1}, true);
            NDArray jtx = jcol.mul(xs).sum(new int[] {1}, true);
            NDArray graddiv = column(m, pk.sub(s0.mul(2)).add(mk), k, d).mul(cInvh2);
            for (int j = 0; j < d; j++) {
                if (j == k) {
                    continue;
                }
                int base = 1 + 2 * d + 4 * FpResidual.pairIndex(Math.min(j, k), Math.max(j, k), d);
                NDArray mixed = f[base].sub(f[base + 1]).sub(f[base + 2]).add(f[base + 3]);
                graddiv = graddiv.add(column(m, mixed, j, d).mul(cInv4h2));
            }
            NDArray dtk = column(m, dt, k, d);
            NDArray sk = column(m, s0, k, d);
            NDArray rhs = graddiv.mul(cG2).mul(0.5).add(jts.mul(cG2)).add(sk.add(jtx).mul(cA));
            cols.add(dtk.sub(rhs));
        }
        return ai.djl.ndarray.NDArrays.concat(cols, 1);
    }

    /** The penalty mean_i weight(t_i)·|r_i|^m (a float64 scalar in the graph). */
    NDArray penalty(NDManager m, NDList p, double[] x, double[] t, int n, Weighting weighting, double power) {
        NDArray r = residual(m, p, x, t, n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weighting.at(sde, t[i]);
        }
        NDArray sq = r.square().sum(new int[] {1}, true);
        NDArray norm = power == 2 ? sq : sq.add(1e-300).pow(power / 2);
        return norm.mul(col(m, w)).mean();
    }

    private static void shift(double[] a, int n, int d, double[] h, int j, int sj, int k, int sk) {
        for (int i = 0; i < n; i++) {
            a[i * d + j] += sj * h[i];
            if (k >= 0) {
                a[i * d + k] += sk * h[i];
            }
        }
    }
}
