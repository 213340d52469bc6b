package org.pdediff.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The engine against finite differences of its own value channel (float64) and against closed forms.
 *
 * <p>Tolerances: central differences with step δ have truncation δ²·|f'''|/6 and rounding 1e-16·|f|/δ; with δ = 1e-4
 * (first derivatives) and δ = 1e-3 (second), f and its derivatives O(1) for the small random networks used here,
 * both are below 1e-6, so 1e-5 relative to the largest entry is a bound with margin.
 */
class MlpEngineTest {
    private static final int N = 37; // rows of data; the rest of the block is zero padding
    private static final Channels CH = new Channels(2, new int[] {1, 1, 2}, new int[] {1, 2, 2});

    private static double[] params(MlpShape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[s.parameterCount()];
        for (int k = 0; k < p.length; k++) {
            p[k] = (2 * r.nextDouble() - 1) * 0.8;
        }
        return p;
    }

    /** Value-channel outputs at inputs x (N × k0), float64. */
    private static double[] value(MlpShape s, double[] p, double[] x) {
        MlpEngine e = new MlpEngine(s, Precision.FLOAT64, Channels.VALUE);
        double[] in = new double[MlpEngine.BLOCK * s.inputs()];
        System.arraycopy(x, 0, in, 0, x.length);
        double[] out = new double[MlpEngine.BLOCK * s.outputs()];
        e.forward(new MlpWeights(s, Precision.FLOAT64, p), in, out, false);
        return java.util.Arrays.copyOf(out, N * s.outputs());
    }

    private static MlpShape shape(ActivationKind act) {
        // width 20: one full vector of 16 floats / two of 8 doubles plus a masked tail
        return new MlpShape(3, 20, 2, 2, act, 3.0);
    }

    private record Setup(double[] x, double[] v1, double[] v2, double[] input) {
    }

    private static Setup setup(MlpShape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = s.inputs();
        double[] x = new double[N * k];
        double[] v1 = new double[N * k];
        double[] v2 = new double[N * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            v1[i] = 2 * r.nextDouble() - 1;
            v2[i] = 2 * r.nextDouble() - 1;
        }
        int blk = MlpEngine.BLOCK * k;
        double[] in = new double[CH.count() * blk];
        System.arraycopy(x, 0, in, 0, x.length);
        System.arraycopy(v1, 0, in, blk, x.length);
        System.arraycopy(v2, 0, in, 2 * blk, x.length);
        return new Setup(x, v1, v2, in);
    }

    private static double[] shifted(double[] x, double a, double[] va, double b, double[] vb) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += a * va[i] + b * vb[i];
        }
        return y;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void channelsAreTheDirectionalDerivativesOfTheValue(ActivationKind act) {
        MlpShape s = shape(act);
        double[] p = params(s, 1);
        Setup st = setup(s, 2);
        MlpEngine e = new MlpEngine(s, Precision.FLOAT64, CH);
        double[] out = new double[CH.count() * MlpEngine.BLOCK * s.outputs()];
        e.forward(new MlpWeights(s, Precision.FLOAT64, p), st.input(), out, false);
        int o = s.outputs();
        int blk = MlpEngine.BLOCK * o;
        double[][] v = {null, st.v1(), st.v2()};
        double d1 = 1e-4;
        double d2 = 1e-3;
        for (int c = 1; c <= 2; c++) {
            double[] fp = value(s, p, shifted(st.x(), d1, v[c], 0, v[c]));
            double[] fm = value(s, p, shifted(st.x(), -d1, v[c], 0, v[c]));
            double[] diff = new double[N * o];
            for (int i = 0; i < N * o; i++) {
                diff[i] = out[c * blk + i] - (fp[i] - fm[i]) / (2 * d1);
            }
            assertThat(maxAbs(diff)).as("direction %d", c).isLessThan(1e-5 * Math.max(1, maxAbs(fp)));
        }
        for (int q = 0; q < CH.pairs(); q++) {
            double[] va = v[CH.pairA()[q]];
            double[] vb = v[CH.pairB()[q]];
            double[] fpp = value(s, p, shifted(st.x(), d2, va, d2, vb));
            double[] fpm = value(s, p, shifted(st.x(), d2, va, -d2, vb));
            double[] fmp = value(s, p, shifted(st.x(), -d2, va, d2, vb));
            double[] fmm = value(s, p, shifted(st.x(), -d2, va, -d2, vb));
            double[] diff = new double[N * o];
            for (int i = 0; i < N * o; i++) {
                double fd = (fpp[i] - fpm[i] - fmp[i] + fmm[i]) / (4 * d2 * d2);
                diff[i] = out[CH.pair(q) * blk + i] - fd;
            }
            assertThat(maxAbs(diff)).as("pair %d", q).isLessThan(1e-5 * Math.max(1, maxAbs(fpp)));
        }
    }

    /** L = Σ Ō ⊙ O over all channels, computed by a forward pass. */
    private static double objective(MlpShape s, double[] p, double[] input, double[] adj) {
        MlpEngine e = new MlpEngine(s, Precision.FLOAT64, CH);
        double[] out = new double[adj.length];
        e.forward(new MlpWeights(s, Precision.FLOAT64, p), input, out, false);
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            l += adj[i] * out[i];
        }
        return l;
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void reversePassIsTheGradientOfTheChannelObjective(ActivationKind act) {
        MlpShape s = shape(act);
        double[] p = params(s, 3);
        Setup st = setup(s, 4);
        int o = s.outputs();
        int blk = MlpEngine.BLOCK * o;
        double[] adj = new double[CH.count() * blk];
        SplittableRandom r = new SplittableRandom(5);
        for (int c = 0; c < CH.count(); c++) {
            for (int i = 0; i < N * o; i++) {
                adj[c * blk + i] = 2 * r.nextDouble() - 1;
            }
        }
        MlpEngine e = new MlpEngine(s, Precision.FLOAT64, CH);
        MlpWeights w = new MlpWeights(s, Precision.FLOAT64, p);
        double[] out = new double[adj.length];
        e.forward(w, st.input(), out, true);
        double[] g = new double[p.length];
        double[] gin = new double[st.input().length];
        e.backward(w, adj, g, gin);
        double gmax = maxAbs(g);
        double delta = 1e-5;
        for (int k = 0; k < p.length; k += 23) {
            double[] pp = p.clone();
            double[] pm = p.clone();
            pp[k] += delta;
            pm[k] -= delta;
            double fd = (objective(s, pp, st.input(), adj) - objective(s, pm, st.input(), adj)) / (2 * delta);
            assertThat(g[k]).as("parameter %d", k).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, gmax)));
        }
        double imax = maxAbs(gin);
        for (int k = 0; k < gin.length; k += 37) {
            if (st.input()[k] == 0 && (k % (MlpEngine.BLOCK * s.inputs())) >= N * s.inputs()) {
                continue; // padding rows
            }
            double[] ip = st.input().clone();
            double[] im = st.input().clone();
            ip[k] += delta;
            im[k] -= delta;
            double fd = (objective(s, p, ip, adj) - objective(s, p, im, adj)) / (2 * delta);
            assertThat(gin[k]).as("input %d", k).isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, imax)));
        }
    }

    @Test
    void aRowGivesTheSameBitsInEveryPositionAndFloat32AgreesWithFloat64() {
        MlpShape s = new MlpShape(4, 40, 3, 3, ActivationKind.SILU, 1);
        double[] p = params(s, 6);
        Setup st = setup(new MlpShape(4, 40, 3, 3, ActivationKind.SILU, 1), 7);
        int k = s.inputs();
        int o = s.outputs();
        for (Precision pr : Precision.values()) {
            MlpEngine e = new MlpEngine(s, pr, Channels.VALUE);
            MlpWeights w = new MlpWeights(s, pr, p);
            double[] in = new double[MlpEngine.BLOCK * k];
            System.arraycopy(st.x(), 0, in, 0, N * k);
            double[] out = new double[MlpEngine.BLOCK * o];
            e.forward(w, in, out, false);
            // the same rows reversed and moved to the end of the block
            double[] in2 = new double[MlpEngine.BLOCK * k];
            for (int i = 0; i < N; i++) {
                System.arraycopy(st.x(), i * k, in2, (MlpEngine.BLOCK - 1 - i) * k, k);
            }
            double[] out2 = new double[MlpEngine.BLOCK * o];
            e.forward(w, in2, out2, false);
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < o; j++) {
                    assertThat(out2[(MlpEngine.BLOCK - 1 - i) * o + j]).isEqualTo(out[i * o + j]);
                }
            }
        }
        double[] v32 = evaluate(s, p, st.x(), Precision.FLOAT32);
        double[] v64 = evaluate(s, p, st.x(), Precision.FLOAT64);
        for (int i = 0; i < v64.length; i++) {
            // float32: ~1e-7 relative per operation, accumulated over ≤ 40-term dot products and 4 layers
            assertThat(v32[i]).isCloseTo(v64[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, maxAbs(v64))));
        }
    }

    private static double[] evaluate(MlpShape s, double[] p, double[] x, Precision pr) {
        MlpEngine e = new MlpEngine(s, pr, Channels.VALUE);
        double[] in = new double[MlpEngine.BLOCK * s.inputs()];
        System.arraycopy(x, 0, in, 0, N * s.inputs());
        double[] out = new double[MlpEngine.BLOCK * s.outputs()];
        e.forward(new MlpWeights(s, pr, p), in, out, false);
        return java.util.Arrays.copyOf(out, N * s.outputs());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void activationsMatchTheirClosedForms(Precision pr) {
        Arith ar = pr.arith();
        int n = 4 * 64;
        double[] zs = new double[n];
        for (int i = 0; i < n; i++) {
            zs[i] = -30 + 60.0 * i / (n - 1) + 1e-3;
        }
        zs[0] = -200; // beyond the clamp
        zs[1] = 0;
        Object z = ar.alloc(n);
        ar.load(zs, 0, z, 0, n);
        // float32 rounding of z itself (relative 6e-8) times |z·act'| ≤ 30: absolute 2e-6; float64: 1e-13
        double tol = pr == Precision.FLOAT32 ? 3e-6 : 1e-13;
        for (ActivationKind kind : ActivationKind.values()) {
            double beta = kind == ActivationKind.SILU ? 1 : 2.5;
            Object h = ar.alloc(n);
            Object[] sd = {ar.alloc(n), ar.alloc(n), ar.alloc(n)};
            ar.activation(kind, beta, z, 0, h, sd[0], sd[1], sd[2], n);
            double[][] got = new double[4][n];
            ar.store(h, 0, got[0], 0, n);
            for (int j = 0; j < 3; j++) {
                ar.store(sd[j], 0, got[j + 1], 0, n);
            }
            for (int i = 0; i < n; i++) {
                double zz = pr.round(zs[i]);
                double[] want = closedForm(kind, beta, zz);
                for (int j = 0; j < 4; j++) {
                    assertThat(got[j][i]).as("%s derivative %d at z=%s", kind, j, zz)
                            .isCloseTo(want[j], org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(want[j]))));
                }
            }
        }
    }

    private static double[] closedForm(ActivationKind kind, double beta, double z) {
        double y = kind == ActivationKind.SILU ? z : beta * z;
        double sig = 1 / (1 + Math.exp(-y));
        double d1 = sig * (1 - sig);
        if (kind == ActivationKind.SILU) {
            return new double[] {z * sig, sig + z * d1, d1 * (2 + z * (1 - 2 * sig)),
                d1 * (3 * (1 - 2 * sig) + z * (1 - 6 * d1))};
        }
        return new double[] {Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(y))) / beta, sig, beta * d1,
            beta * beta * d1 * (1 - 2 * sig)};
    }
}
