package org.pdediff.nn;

/**
 * Forward and reverse passes of an {@link MlpShape} over one block of {@link #BLOCK} rows, with Taylor
 * {@link Channels}: the forward pass gives the network's value and its first and second directional derivatives;
 * the reverse pass gives the exact gradient, with respect to the parameters (and optionally the inputs), of any
 * scalar function of those outputs whose output adjoints the caller supplies.
 *
 * <p><b>Reverse pass.</b> With Ō the adjoints of the output channels, for each layer from the last:
 * W̄_l += Σ_c H_{l−1,c}ᵀ Z̄_c, b̄_l += Σ_rows Z̄₀, H̄_{l−1} = Z̄ W_lᵀ, and through the activation (σ⁽ʲ⁾ = act⁽ʲ⁾(z₀)):
 * <pre>
 *   Z̄_ab = σ' H̄_ab
 *   Z̄_a  = σ' H̄_a + Σ_{pairs (a,b)} σ'' ż_b H̄_ab            (a pair (a, a) counts twice)
 *   Z̄₀   = σ' H̄₀ + σ'' (Σ_a ż_a H̄_a + Σ_ab z̈_ab H̄_ab) + σ''' Σ_ab ż_a ż_b H̄_ab
 * </pre>
 * the exact derivative of the forward recursion of {@link Channels}.
 *
 * <p>Rows of a block are independent and computed by the fixed-order kernels of {@link VecF32}: a row's outputs
 * are bit-identical whichever block it is in. Gradients of a block are summed over its rows in row order, in the
 * working precision, then added to the caller's double array; callers add blocks in a fixed order, so gradients do
 * not depend on the number of threads. An engine holds its workspace and serves one thread; weights are shared.
 */
public final class MlpEngine {
    /** Rows per block. */
    public static final int BLOCK = 128;

    private final MlpShape shape;
    private final Precision precision;
    private final Arith ar;
    private final Channels ch;
    private final int nc;
    private final int m = BLOCK;
    private final Object in;
    private final Object[] z;
    private final Object[] h;
    private final Object[] s1;
    private final Object[] s2;
    private final Object[] s3;
    private final Object out;
    private final Object hb;
    private final Object zb;
    private final Object outBar;
    private final Object inBar;
    private final Object part;
    private final Object tmp;

    public MlpEngine(MlpShape shape, Precision precision, Channels ch) {
        this.shape = shape;
        this.precision = precision;
        this.ar = precision.arith();
        this.ch = ch;
        this.nc = ch.count();
        int w = shape.width();
        int d = shape.depth();
        in = ar.alloc(nc * m * shape.inputs());
        z = new Object[d];
        h = new Object[d];
        s1 = new Object[d];
        s2 = new Object[d];
        s3 = new Object[d];
        for (int l = 0; l < d; l++) {
            z[l] = ar.alloc(nc * m * w);
            h[l] = ar.alloc(nc * m * w);
            s1[l] = ar.alloc(m * w);
            s2[l] = ar.alloc(m * w);
            s3[l] = ar.alloc(m * w);
        }
        out = ar.alloc(nc * m * shape.outputs());
        hb = ar.alloc(nc * m * w);
        zb = ar.alloc(nc * m * w);
        outBar = ar.alloc(nc * m * shape.outputs());
        inBar = ar.alloc(nc * m * shape.inputs());
        part = ar.alloc(Math.max(shape.inputs(), w) * Math.max(shape.outputs(), w));
        tmp = ar.alloc(m * w);
        if ((m * w) % ar.lanes() != 0) {
            throw new IllegalStateException("block size must be a multiple of the vector length");
        }
    }

    public Channels channels() {
        return ch;
    }

    public MlpShape shape() {
        return shape;
    }

    /**
     * Forward pass. {@code input} holds the channel blocks one after another, each BLOCK × inputs row-major (rows
     * beyond the caller's data zero); {@code output} receives the channel blocks, each BLOCK × outputs.
     * {@code forReverse} keeps what {@link #backward} needs.
     */
    public void forward(MlpWeights wts, double[] input, double[] output, boolean forReverse) {
        check(wts);
        int k0 = shape.inputs();
        int w = shape.width();
        int blk = m * w;
        ar.load(input, 0, in, 0, nc * m * k0);
        boolean needS2 = ch.pairs() > 0 || (forReverse && ch.directions() > 0);
        boolean needS3 = forReverse && ch.pairs() > 0;
        Object prev = in;
        int kPrev = k0;
        for (int l = 0; l < shape.depth(); l++) {
            affine(wts, l, prev, kPrev, z[l]);
            ar.activation(shape.activation(), shape.beta(), z[l], 0, h[l], s1[l], needS2 ? s2[l] : null,
                    needS3 ? s3[l] : null, blk);
            for (int c = 1; c <= ch.directions(); c++) {
                ar.mul(s1[l], 0, z[l], c * blk, h[l], c * blk, blk);
            }
            for (int q = 0; q < ch.pairs(); q++) {
                int c = ch.pair(q);
                ar.mul(s1[l], 0, z[l], c * blk, h[l], c * blk, blk);
                ar.addMul3(s2[l], 0, z[l], ch.a(q) * blk, z[l], ch.b(q) * blk, h[l], c * blk, blk);
            }
            prev = h[l];
            kPrev = w;
        }
        affine(wts, shape.depth(), prev, kPrev, out);
        ar.store(out, 0, output, 0, nc * m * shape.outputs());
    }

    /** Z = H W_l for every channel, plus b_l on the value channel. */
    private void affine(MlpWeights wts, int l, Object hIn, int k, Object zOut) {
        int o = shape.out(l);
        ar.gemm(hIn, 0, k, 1, wts.w[l], 0, o, zOut, 0, o, m, o, k, wts.b[l], false);
        if (nc > 1) {
            ar.gemm(hIn, m * k, k, 1, wts.w[l], 0, o, zOut, m * o, o, (nc - 1) * m, o, k, null, false);
        }
    }

    /**
     * Reverse pass after {@link #forward} with {@code forReverse}: {@code outputAdjoint} (layout of the output) is
     * the derivative of the caller's scalar with respect to the outputs; the parameter gradient is ADDED to
     * {@code grad} (flat layout of {@link MlpShape}); {@code inputAdjoint}, when not null, receives the derivative
     * with respect to the inputs (layout of the input).
     */
    public void backward(MlpWeights wts, double[] outputAdjoint, double[] grad, double[] inputAdjoint) {
        check(wts);
        int w = shape.width();
        int blk = m * w;
        int depth = shape.depth();
        int o = shape.outputs();
        ar.load(outputAdjoint, 0, outBar, 0, nc * m * o);
        // Output layer.
        Object zbar = outBar;
        for (int l = depth; l >= 0; l--) {
            int k = shape.in(l);
            int n = shape.out(l);
            Object hIn = l == 0 ? in : h[l - 1];
            // W̄_l = Σ_c H_cᵀ Z̄_c: A(i, p) = H[p, i] over all channel rows p.
            ar.gemm(hIn, 0, 1, k, zbar, 0, n, part, 0, n, k, n, nc * m, null, false);
            int off = shape.offset(l);
            ar.addTo(part, 0, grad, off, k * n);
            ar.addColumnSums(zbar, 0, m, n, grad, off + k * n);
            if (l == 0) {
                if (inputAdjoint != null) {
                    ar.gemm(zbar, 0, n, 1, wts.wt[0], 0, k, inBar, 0, k, nc * m, k, n, null, false);
                    ar.store(inBar, 0, inputAdjoint, 0, nc * m * k);
                }
                break;
            }
            // H̄_{l−1} = Z̄ W_lᵀ.
            ar.gemm(zbar, 0, n, 1, wts.wt[l], 0, k, hb, 0, k, nc * m, k, n, null, false);
            throughActivation(l - 1, blk);
            zbar = zb;
        }
    }

    /** zb = Z̄ of hidden layer l from hb = H̄ (formulas in the class comment). */
    private void throughActivation(int l, int blk) {
        Object zl = z[l];
        // Z̄₀ = σ' H̄₀ (+ second- and third-order terms below).
        ar.mul(s1[l], 0, hb, 0, zb, 0, blk);
        for (int c = 1; c <= ch.directions(); c++) {
            ar.mul(s1[l], 0, hb, c * blk, zb, c * blk, blk);
            ar.addMul3(s2[l], 0, zl, c * blk, hb, c * blk, zb, 0, blk);
        }
        for (int q = 0; q < ch.pairs(); q++) {
            int c = ch.pair(q);
            int a = ch.a(q);
            int b = ch.b(q);
            ar.mul(s1[l], 0, hb, c * blk, zb, c * blk, blk);
            ar.addMul3(s2[l], 0, zl, b * blk, hb, c * blk, zb, a * blk, blk);
            ar.addMul3(s2[l], 0, zl, a * blk, hb, c * blk, zb, b * blk, blk);
            ar.addMul3(s2[l], 0, zl, c * blk, hb, c * blk, zb, 0, blk);
            ar.mul(zl, a * blk, zl, b * blk, tmp, 0, blk);
            ar.addMul3(s3[l], 0, tmp, 0, hb, c * blk, zb, 0, blk);
        }
    }

    private void check(MlpWeights wts) {
        if (!wts.shape.equals(shape) || wts.precision != precision) {
            throw new IllegalArgumentException("weights of another shape or precision");
        }
    }
}
