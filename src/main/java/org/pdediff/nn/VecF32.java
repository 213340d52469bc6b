package org.pdediff.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 kernels of the MLP engine on the JDK Vector API: one GEMM with register tiles and the element-wise
 * operations of the forward and reverse passes.
 *
 * <p><b>Determinism.</b> Every output entry C[i, j] is the fused multiply–add chain
 * acc ← fma(A(i, p), B[p, j], acc) over p = 0, 1, …, k−1 from its initial value, whatever path (8-row tile, 1-row
 * tile, vector or scalar tail column) computes it: lanes run over output columns, never over the reduction index. A row's
 * result is therefore bit-identical whatever the batch, the block it falls in, or the vector width of the machine.
 * Element-wise operations are lane-wise and identical in every lane.
 *
 * <p>This file is the template of {@code VecF64} (generated from it at build time, pom.xml's generate-f64: types and
 * species only; the exponential and log1p polynomials live in {@link ExpF32}/{@code ExpF64}).
 */
final class VecF32 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private VecF32() {
    }

    /**
     * C[i, j] = init(i, j) + Σ_p A(i, p)·B[p, j] for i &lt; m, j &lt; n, p &lt; k, where A(i, p) =
     * a[aOff + i·ars + p·aps] (so A may be read transposed), B and C are row-major with leading dimensions ldb, ldc,
     * and init is C itself ({@code accumulate}), the row vector {@code bias} (if not null) or 0.
     */
    static void gemm(float[] a, int aOff, int ars, int aps, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                     int m, int n, int k, float[] bias, boolean accumulate) {
        // Blocks of KB reduction rows, each continuing the previous block's chains from C: the same fused
        // multiply–adds in the same order (same bits), but a column strip of B (KB rows) stays in cache. Without it a
        // 797 × 512 weight matrix (row stride 2 KiB) ran at 6 GF/s instead of 100+.
        for (int p0 = 0; p0 < k; p0 += KB) {
            int kk = Math.min(KB, k - p0);
            gemmBlock(a, aOff + p0 * aps, ars, aps, b, bOff + p0 * ldb, ldb, c, cOff, ldc, m, n, kk,
                    p0 == 0 ? bias : null, p0 == 0 ? accumulate : true);
        }
        if (k == 0) {
            gemmBlock(a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc, m, n, 0, bias, accumulate);
        }
    }

    /** Reduction rows per block of {@link #gemm}. */
    private static final int KB = 128;

    private static void gemmBlock(float[] a, int aOff, int ars, int aps, float[] b, int bOff, int ldb, float[] c, int cOff,
                                  int ldc, int m, int n, int k, float[] bias, boolean accumulate) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                tile8x2(a, aOff + i * ars, ars, aps, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, bias, j, accumulate);
            }
            for (; i < m; i++) {
                tile1x2(a, aOff + i * ars, aps, b, bOff + j, ldb, c, cOff + i * ldc + j, k, bias, j, accumulate);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                tile8x1(a, aOff + i * ars, ars, aps, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, bias, j, accumulate);
            }
            for (; i < m; i++) {
                tile1x1(a, aOff + i * ars, aps, b, bOff + j, ldb, c, cOff + i * ldc + j, k, bias, j, accumulate);
            }
        }
        // Remaining columns (fewer than a vector): scalar fused multiply–adds in the same order, so the same bits.
        for (; j < n; j++) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                column8(a, aOff + i * ars, ars, aps, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, k, bias, j, accumulate);
            }
            for (; i < m; i++) {
                int co = cOff + i * ldc + j;
                float acc = accumulate ? c[co] : bias != null ? bias[j] : 0f;
                int ao = aOff + i * ars;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[ao + p * aps], b[bOff + j + p * ldb], acc);
                }
                c[co] = acc;
            }
        }
    }

    private static void column8(float[] a, int ao, int ars, int aps, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                                int k, float[] bias, int j, boolean acc) {
        float init = bias != null ? bias[j] : 0f;
        float c0 = acc ? c[co] : init;
        float c1 = acc ? c[co + ldc] : init;
        float c2 = acc ? c[co + 2 * ldc] : init;
        float c3 = acc ? c[co + 3 * ldc] : init;
        float c4 = acc ? c[co + 4 * ldc] : init;
        float c5 = acc ? c[co + 5 * ldc] : init;
        float c6 = acc ? c[co + 6 * ldc] : init;
        float c7 = acc ? c[co + 7 * ldc] : init;
        for (int p = 0; p < k; p++) {
            float bv = b[bo + p * ldb];
            int ap = ao + p * aps;
            c0 = Math.fma(a[ap], bv, c0);
            c1 = Math.fma(a[ap + ars], bv, c1);
            c2 = Math.fma(a[ap + 2 * ars], bv, c2);
            c3 = Math.fma(a[ap + 3 * ars], bv, c3);
            c4 = Math.fma(a[ap + 4 * ars], bv, c4);
            c5 = Math.fma(a[ap + 5 * ars], bv, c5);
            c6 = Math.fma(a[ap + 6 * ars], bv, c6);
            c7 = Math.fma(a[ap + 7 * ars], bv, c7);
        }
        c[co] = c0;
        c[co + ldc] = c1;
        c[co + 2 * ldc] = c2;
        c[co + 3 * ldc] = c3;
        c[co + 4 * ldc] = c4;
        c[co + 5 * ldc] = c5;
        c[co + 6 * ldc] = c6;
        c[co + 7 * ldc] = c7;
    }

    private static FloatVector init(float[] c, int off, float[] bias, int j, boolean acc) {
        if (acc) {
            return FloatVector.fromArray(S, c, off);
        }
        return bias != null ? FloatVector.fromArray(S, bias, j) : FloatVector.zero(S);
    }


    private static void tile8x2(float[] a, int ao, int ars, int aps, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                                int k, float[] bias, int j, boolean acc) {
        FloatVector c00 = init(c, co, bias, j, acc);
        FloatVector c01 = init(c, co + L, bias, j + L, acc);
        FloatVector c10 = init(c, co + ldc, bias, j, acc);
        FloatVector c11 = init(c, co + ldc + L, bias, j + L, acc);
        FloatVector c20 = init(c, co + 2 * ldc, bias, j, acc);
        FloatVector c21 = init(c, co + 2 * ldc + L, bias, j + L, acc);
        FloatVector c30 = init(c, co + 3 * ldc, bias, j, acc);
        FloatVector c31 = init(c, co + 3 * ldc + L, bias, j + L, acc);
        FloatVector c40 = init(c, co + 4 * ldc, bias, j, acc);
        FloatVector c41 = init(c, co + 4 * ldc + L, bias, j + L, acc);
        FloatVector c50 = init(c, co + 5 * ldc, bias, j, acc);
        FloatVector c51 = init(c, co + 5 * ldc + L, bias, j + L, acc);
        FloatVector c60 = init(c, co + 6 * ldc, bias, j, acc);
        FloatVector c61 = init(c, co + 6 * ldc + L, bias, j + L, acc);
        FloatVector c70 = init(c, co + 7 * ldc, bias, j, acc);
        FloatVector c71 = init(c, co + 7 * ldc + L, bias, j + L, acc);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            int ap = ao + p * aps;
            FloatVector x;
            x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ap + 4 * ars]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ap + 5 * ars]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ap + 6 * ars]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ap + 7 * ars]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc);
        c61.intoArray(c, co + 6 * ldc + L);
        c70.intoArray(c, co + 7 * ldc);
        c71.intoArray(c, co + 7 * ldc + L);
    }

    private static void tile1x2(float[] a, int ao, int aps, float[] b, int bo, int ldb, float[] c, int co, int k,
                                float[] bias, int j, boolean acc) {
        FloatVector c0 = init(c, co, bias, j, acc);
        FloatVector c1 = init(c, co + L, bias, j + L, acc);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[ao + p * aps]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + L);
    }

    private static void tile8x1(float[] a, int ao, int ars, int aps, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                                int k, float[] bias, int j, boolean acc) {
        FloatVector c0 = init(c, co, bias, j, acc);
        FloatVector c1 = init(c, co + ldc, bias, j, acc);
        FloatVector c2 = init(c, co + 2 * ldc, bias, j, acc);
        FloatVector c3 = init(c, co + 3 * ldc, bias, j, acc);
        FloatVector c4 = init(c, co + 4 * ldc, bias, j, acc);
        FloatVector c5 = init(c, co + 5 * ldc, bias, j, acc);
        FloatVector c6 = init(c, co + 6 * ldc, bias, j, acc);
        FloatVector c7 = init(c, co + 7 * ldc, bias, j, acc);
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * ldb);
            int ap = ao + p * aps;
            c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ap + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * ars]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[ap + 4 * ars]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[ap + 5 * ars]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[ap + 6 * ars]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[ap + 7 * ars]).fma(b0, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
        c4.intoArray(c, co + 4 * ldc);
        c5.intoArray(c, co + 5 * ldc);
        c6.intoArray(c, co + 6 * ldc);
        c7.intoArray(c, co + 7 * ldc);
    }

    private static void tile1x1(float[] a, int ao, int aps, float[] b, int bo, int ldb, float[] c, int co, int k,
                                float[] bias, int j, boolean acc) {
        FloatVector c0 = init(c, co, bias, j, acc);
        for (int p = 0; p < k; p++) {
            c0 = FloatVector.broadcast(S, a[ao + p * aps]).fma(FloatVector.fromArray(S, b, bo + p * ldb), c0);
        }
        c0.intoArray(c, co);
    }

    // ---- element-wise operations over [off, off + len), len a multiple of L ----------------------------------------

    /** c = a ⊙ b. */
    static void mul(float[] a, int ao, float[] b, int bo, float[] c, int co, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(c, co + i);
        }
    }

    /** c += a ⊙ b (one fused multiply–add per entry). */
    static void addMul(float[] a, int ao, float[] b, int bo, float[] c, int co, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), FloatVector.fromArray(S, c, co + i))
                    .intoArray(c, co + i);
        }
    }

    /** c += (a ⊙ b) ⊙ e. */
    static void addMul3(float[] a, int ao, float[] b, int bo, float[] e, int eo, float[] c, int co, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i))
                    .fma(FloatVector.fromArray(S, e, eo + i), FloatVector.fromArray(S, c, co + i)).intoArray(c, co + i);
        }
    }

    /**
     * The activation and its first three derivatives at z (any of h, s1, s2, s3 may be null), see
     * {@link ActivationKind}. With E = exp(−min(|y|, CLAMP)) (y = z for SiLU, βz for Softplus), R = 1/(1 + E):
     * sigmoid(y) = R for y ≥ 0 and E·R otherwise, sigmoid'(y) = E·R², 1 − 2·sigmoid(y) = ∓(1 − E)R.
     * <ul>
     *   <li>SiLU: h = zσ, h' = σ + zσ', h'' = σ'(2 + z(1 − 2σ)), h''' = σ'(3(1 − 2σ) + z(1 − 6σ'));</li>
     *   <li>Softplus_β: h = max(z, 0) + log1p(E)/β, h' = σ(βz), h'' = βσ'(βz), h''' = β²σ'(βz)(1 − 2σ(βz)).</li>
     * </ul>
     */
    static void activation(ActivationKind kind, float beta, float[] z, int zo, float[] h, float[] s1, float[] s2,
                           float[] s3, int len) {
        boolean silu = kind == ActivationKind.SILU;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector bv = FloatVector.broadcast(S, silu ? 1f : beta);
        FloatVector clamp = FloatVector.broadcast(S, (float) ActivationKind.CLAMP);
        for (int i = 0; i < len; i += L) {
            FloatVector zv = FloatVector.fromArray(S, z, zo + i);
            FloatVector y = silu ? zv : zv.mul(bv);
            VectorMask<Float> pos = y.compare(VectorOperators.GE, 0f);
            FloatVector e = ExpF32.expNonPositive(y.abs().min(clamp).neg());
            FloatVector r = one.div(one.add(e));
            FloatVector sig = r.blend(e.mul(r), pos.not());
            FloatVector d1 = e.mul(r).mul(r);
            FloatVector u = one.sub(e).mul(r);
            u = u.blend(u.neg(), pos);
            if (silu) {
                if (h != null) {
                    zv.mul(sig).intoArray(h, i);
                }
                if (s1 != null) {
                    zv.fma(d1, sig).intoArray(s1, i);
                }
                if (s2 != null) {
                    d1.mul(zv.fma(u, FloatVector.broadcast(S, 2f))).intoArray(s2, i);
                }
                if (s3 != null) {
                    d1.mul(zv.mul(one.sub(d1.mul(6f))).add(u.mul(3f))).intoArray(s3, i);
                }
            } else {
                if (h != null) {
                    ExpF32.log1pUnit(e).div(bv).add(zv.max(0f)).intoArray(h, i);
                }
                if (s1 != null) {
                    sig.intoArray(s1, i);
                }
                if (s2 != null) {
                    d1.mul(bv).intoArray(s2, i);
                }
                if (s3 != null) {
                    d1.mul(bv).mul(bv).mul(u).intoArray(s3, i);
                }
            }
        }
    }
}
