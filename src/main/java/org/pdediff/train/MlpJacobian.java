package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import org.pdediff.sde.Sde;

/**
 * The x-Jacobian of a neural score in closed form, by forward-mode differentiation of the MLP in plain float64 Java
 * (no autograd).
 *
 * <p>With u = c_in(x − αμ), ∂u/∂x = c_in I. Score and noise outputs: s = k(t)·N(u, t) with k = c_in or −1/σ, so
 * ∇ₓs = k·c_in·∂N/∂u, and ∂N/∂u is pushed forward layer by layer: ż₁ = W0xᵀv, ḣ_l = act'(z_l)⊙ż_l,
 * ż_{l+1} = W_lᵀḣ_l, Ṅ = Woutᵀḣ_L, for v = e_1..e_d. Potential outputs: s = c_in∇_uN, so ∇ₓs = c_in²∇²_uN; the
 * Hessian–vector product differentiates the reverse pass δz_l = (W_{l+1}δz_{l+1})⊙act'(z_l) (δz_L = Wout⊙act'(z_L))
 * along the same forward tangents: δ̇z_l = (W_{l+1}δ̇z_{l+1})⊙act'(z_l) + (W_{l+1}δz_{l+1})⊙act''(z_l)⊙ż_l and
 * ∇²N·v = W0x·δ̇z₁. Activation derivatives: SiLU' = σ(1 + z(1 − σ)), SiLU'' = σ(1 − σ)(2 + z(1 − 2σ));
 * Softplus_β' = σ(βz), Softplus_β'' = βσ(βz)(1 − σ(βz)).
 */
final class MlpJacobian {
    private final Architecture arch;
    private final Preconditioning pre;
    private final Sde sde;
    private final double[] w;
    private final int[] off;

    MlpJacobian(Architecture arch, Preconditioning pre, Sde sde, double[] weights) {
        this.arch = arch;
        this.pre = pre;
        this.sde = sde;
        this.w = weights;
        var t = arch.tensors();
        off = new int[t.size()];
        for (int k = 0; k < off.length; k++) {
            off[k] = t.get(k).offset();
        }
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private double act(double z) {
        if (arch.activation() == ActivationKind.SILU) {
            return z * sigmoid(z);
        }
        double b = arch.softplusBeta();
        double y = b * z;
        return (Math.max(y, 0) + Math.log1p(Math.exp(-Math.abs(y)))) / b;
    }

    private double act1(double z) {
        if (arch.activation() == ActivationKind.SILU) {
            double s = sigmoid(z);
            return s * (1 + z * (1 - s));
        }
        return sigmoid(arch.softplusBeta() * z);
    }

    private double act2(double z) {
        if (arch.activation() == ActivationKind.SILU) {
            double s = sigmoid(z);
            return s * (1 - s) * (2 + z * (1 - 2 * s));
        }
        double b = arch.softplusBeta();
        double s = sigmoid(b * z);
        return b * s * (1 - s);
    }

    /** Writes ∂s_a/∂x_b of each point into out[i·d² + a·d + b]. */
    void jacobian(double[] x, int n, double t, double[] out) {
        int d = arch.dim();
        int wd = arch.width();
        int depth = arch.depth();
        int e = arch.embedding();
        int o = arch.outputs();
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double cin = 1 / Math.sqrt(a * a * pre.variance() + s2);
        boolean potential = arch.parameterisation() == Parameterisation.POTENTIAL;
        double k = potential ? cin * cin : (arch.parameterisation() == Parameterisation.NOISE ? -1 / Math.sqrt(s2) : cin) * cin;
        double[] temb = new double[e];
        arch.embed(0.5 * StrictMath.log(s2), temb, 0);
        double[] mu = pre.mean();
        double[][] z = new double[depth][wd];
        double[][] a1 = new double[depth][wd];
        double[][] zt = new double[depth * d][wd]; // tangent ż_l along e_v: index l*d + v
        double[] h = new double[wd];
        double[] u = new double[d];
        int wOut = off[off.length - 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                u[j] = cin * (x[i * d + j] - a * mu[j]);
            }
            // forward values and tangents
            for (int c = 0; c < wd; c++) {
                double v = w[off[2] + c];
                for (int j = 0; j < d; j++) {
                    v += u[j] * w[off[0] + j * wd + c];
                }
                for (int j = 0; j < e; j++) {
                    v += temb[j] * w[off[1] + j * wd + c];
                }
                z[0][c] = v;
                a1[0][c] = act1(v);
                for (int vv = 0; vv < d; vv++) {
                    zt[vv][c] = w[off[0] + vv * wd + c];
                }
            }
            for (int l = 1; l < depth; l++) {
                int wl = off[3 + 2 * (l - 1)];
                int bl = off[4 + 2 * (l - 1)];
                for (int c = 0; c < wd; c++) {
                    h[c] = act(z[l - 1][c]);
                }
                for (int c = 0; c < wd; c++) {
                    double v = w[bl + c];
                    for (int r = 0; r < wd; r++) {
                        v += h[r] * w[wl + r * wd + c];
                    }
                    z[l][c] = v;
                    a1[l][c] = act1(v);
                }
                for (int vv = 0; vv < d; vv++) {
                    double[] prev = zt[(l - 1) * d + vv];
                    double[] cur = zt[l * d + vv];
                    for (int c = 0; c < wd; c++) {
                        double v = 0;
                        for (int r = 0; r < wd; r++) {
                            v += a1[l - 1][r] * prev[r] * w[wl + r * wd + c];
                        }
                        cur[c] = v;
                    }
                }
            }
            int base = i * d * d;
            if (!potential) {
                // Ṅ_a = Σ_c Wout[c, a] act'(z_L[c]) ż_L[c]
                for (int vv = 0; vv < d; vv++) {
                    double[] zl = zt[(depth - 1) * d + vv];
                    for (int aa = 0; aa < o; aa++) {
                        double v = 0;
                        for (int c = 0; c < wd; c++) {
                            v += w[wOut + c * o + aa] * a1[depth - 1][c] * zl[c];
                        }
                        out[base + aa * d + vv] = k * v;
                    }
                }
                continue;
            }
            // reverse pass δz_l and its tangents δ̇z_l along e_v
            double[][] dz = new double[depth][wd];
            for (int c = 0; c < wd; c++) {
                dz[depth - 1][c] = w[wOut + c] * a1[depth - 1][c];
            }
            for (int l = depth - 2; l >= 0; l--) {
                int wl = off[3 + 2 * l]; // W_{l+1}
                for (int r = 0; r < wd; r++) {
                    double v = 0;
                    for (int c = 0; c < wd; c++) {
                        v += w[wl + r * wd + c] * dz[l + 1][c];
                    }
                    dz[l][r] = v * a1[l][r];
                }
            }
            for (int vv = 0; vv < d; vv++) {
                double[] dzt = new double[wd];
                double[] zl = zt[(depth - 1) * d + vv];
                for (int c = 0; c < wd; c++) {
                    dzt[c] = w[wOut + c] * act2(z[depth - 1][c]) * zl[c];
                }
                for (int l = depth - 2; l >= 0; l--) {
                    int wl = off[3 + 2 * l];
                    double[] next = new double[wd];
                    double[] zlt = zt[l * d + vv];
                    for (int r = 0; r < wd; r++) {
                        double gv = 0;
                        double gt = 0;
                        for (int c = 0; c < wd; c++) {
                            gv += w[wl + r * wd + c] * dz[l + 1][c];
                            gt += w[wl + r * wd + c] * dzt[c];
                        }
                        next[r] = gt * a1[l][r] + gv * act2(z[l][r]) * zlt[r];
                    }
                    dzt = next;
                }
                for (int aa = 0; aa < d; aa++) {
                    double v = 0;
                    for (int c = 0; c < wd; c++) {
                        v += w[off[0] + aa * wd + c] * dzt[c];
                    }
                    out[base + aa * d + vv] = k * v;
                }
            }
        }
    }
}
