package org.pdediff.score;

import java.util.stream.IntStream;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.Sde;

/**
 * The exact score of a finite data set {y_j}, j = 1..N (M10, [P2]): the marginal p_t = (1/N) Σ_j N(αy_j, σ²I), so
 * <pre>
 *   s(x, t) = Σ_j π_j (αy_j − x) / σ²,   π_j = softmax_j(−|x − αy_j|² / (2σ²)),
 *   ∇s = −I/σ² + Cov_π[αy] / σ⁴,          ∇·s = −d/σ² + tr Cov_π[αy] / σ⁴.
 * </pre>
 * This is the exact minimiser of the denoising loss over all functions, and the memorisation baseline of C1.
 *
 * <p>Numerics: squared distances are formed from differences (no |x|² − 2x·y + |y|² cancellation), the soft-max
 * subtracts the smallest distance (log-sum-exp) so the largest weight is exactly 1, and the exponential is
 * {@link #expNeg}, a multiply–add-only e^{−u} accurate to 4·10⁻¹⁴ relative that HotSpot vectorises; the score
 * stays accurate down to σ ≈ 1e-4. Weights of points more than 64 nats below the nearest are clamped to
 * e^{−64} ≈ 1.6·10⁻²⁸ — provably below double rounding of the normaliser (≥ 1) for N &lt; 10¹¹.
 *
 * <p>Speed: for d ≥ 16 and N ≥ 256 the score goes to the native kernel ({@link TorchExactKernel}: float64 GEMMs on
 * the resident data in fixed blocks, certified pruning of points whose weight is below 10⁻¹⁶ of the largest, a
 * rank-128 projection bound that skips the full GEMM at small σ for large N·d). Otherwise (and for divergences and
 * Jacobians) particles are processed in blocks of four that share one pass over the data (column-major, tiled to
 * stay in L1), chunks of particles run in parallel on the common fork–join pool. Every particle's result is
 * computed by the same operations in the same order whatever its block, chunk or thread, so samples are
 * bit-identical for any batch size and thread count.
 */
public final class FiniteDataScore extends ClosedFormScore {
    private static final int CHUNK = 32;

    /** Which kernel evaluates the score. */
    public enum Backend {
        /**
         * Native GEMM (DJL/PyTorch) with certified pruning for d ≥ 16 and N ≥ 256 (exact at every σ, see
         * {@link TorchExactKernel}), Java otherwise.
         */
        AUTO,
        /** Always the difference-based Java kernel. */
        JAVA,
        /** Always the native kernel for the score (divergence and Jacobian stay in Java). */
        TORCH
    }

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private final int n;
    private final double[] y;   // row-major N × d
    private volatile double[] yT;  // column-major: yT[k*N + j] = y_j[k]; built on first use of the Java kernel

    private final Backend backend;
    private volatile TorchExactKernel torch;

    public FiniteDataScore(Sde sde, Batch data) {
        this(sde, data, Backend.AUTO);
    }

    /** An exact score with a chosen kernel (the results agree to rounding; see {@link Backend}). */
    public FiniteDataScore(Sde sde, Batch data, Backend backend) {
        super(sde, data.dim(), "an exact score");
        this.backend = backend;
        if (data.size() == 0) {
            throw new InvalidInputException("exact score needs at least one data point");
        }
        data.requireFinite("data");
        this.n = data.size();
        this.y = data.data().clone();
    }

    /** The column-major copy used by the Java kernel (built once, on first use: the native path does not need it). */
    private double[] columns() {
        double[] c = yT;
        if (c == null) {
            synchronized (this) {
                c = yT;
                if (c == null) {
                    c = new double[n * d];
                    for (int j = 0; j < n; j++) {
                        for (int k = 0; k < d; k++) {
                            c[k * n + j] = y[j * d + k];
                        }
                    }
                    yT = c;
                }
            }
        }
        return c;
    }

    /** The kernel choice. */
    public Backend backend() {
        return backend;
    }

    /**
     * The native kernel when the backend asks for it, else null; it is exact at every σ (its rows fall back to
     * differences where GEMM rounding would matter, see {@link TorchExactKernel}). The decision depends on the data
     * only, never on the batch.
     */
    private TorchExactKernel torchFor(double s2) {
        boolean wanted = switch (backend) {
            case JAVA -> false;
            case TORCH -> true;
            case AUTO -> d >= 16 && n >= 256;
        };
        if (!wanted) {
            return null;
        }
        TorchExactKernel k = torch;
        if (k == null) {
            synchronized (this) {
                k = torch;
                if (k == null) {
                    k = new TorchExactKernel(y, n, d);
                    TorchExactKernel toClose = k;
                    CLEANER.register(this, toClose::close);
                    torch = k;
                }
            }
        }
        return k;
    }

    /**
     * log p_t(x) = log((1/N) Σ_j N(x; αy_j, σ²I)) = logsumexp_j(−|x − αy_j|²/(2σ²)) − ln N − (d/2) ln(2πσ²), for each
     * row of x into {@code out} (modified); computed with the same kernel (largest term exactly 1).
     */
    @Override
    public void logDensity(Batch x, double t, double[] out) {
        requireDim(x);
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double c = -Math.log(n) - 0.5 * d * Math.log(2 * Math.PI * s2);
        Work wk = new Work();
        double[] xs = x.data();
        for (int first = 0; first < x.size(); first += BLOCK) {
            int count = Math.min(BLOCK, x.size() - first);
            distances(xs, first, count, a, wk);
            for (int b = 0; b < count; b++) {
                double dmin = Double.POSITIVE_INFINITY;
                for (double v : wk.dist[b]) {
                    dmin = Math.min(dmin, v);
                }
                double z = 0;
                for (int j = 0; j < n; j++) {
                    z += Math.exp(-(wk.dist[b][j] - dmin) / (2 * s2));
                }
                out[first + b] = c - dmin / (2 * s2) + Math.log(z);
            }
        }
    }

    /**
     * How the native kernel computed its rows so far: {sparse rows, dense rows, rows by differences over all N,
     * points kept over all sparse rows, chunks by the projection bound, chunks by the full GEMM}; zeros when it was
     * never used. For benchmarks and tests.
     */
    public long[] nativeRowCounts() {
        TorchExactKernel k = torch;
        if (k == null) {
            return new long[6];
        }
        return new long[] {k.stats.sparseRows.sum(), k.stats.denseRows.sum(), k.stats.exactRows.sum(), k.stats.kept.sum(),
            k.stats.boundChunks.sum(), k.stats.fullChunks.sum()};
    }

    /**
     * Builds now what the native kernel otherwise builds on first use (the resident data and, for large N·d, the
     * projection bound's principal directions), so that timings of sampling exclude this one-time set-up.
     */
    public void prepare() {
        TorchExactKernel k = torchFor(1);
        if (k != null) {
            k.prepare();
        }
    }

    /** Number of data points N. */
    public int dataSize() {
        return n;
    }

    /** A copy of the data. */
    public Batch data() {
        return Batch.wrap(y.clone(), n, d);
    }

    /** What to compute per particle. */
    private enum Want { SCORE, DIVERGENCE, JACOBIAN }

    /** Particles per block: the data are streamed once per block. */
    private static final int BLOCK = 4;
    /** Data points per tile, so that a block's distance rows stay in L1. */
    private static final int TILE = 512;
    private static final double E_MINUS_QUARTER = Math.exp(-0.25);

    /**
     * e^{−u} for u ≥ 0 with multiplications and additions only, so that HotSpot vectorises the loops that call it:
     * z = −min(u, 64)/128 + ¼ ∈ [−¼, ¼], e^{−u/128} = e^{−¼}·P₁₁(z) (Taylor, truncation &lt; 1.2·10⁻¹⁶), then seven
     * squarings. Relative error ≤ 4·10⁻¹⁴ (128× the rounding of the base) for u ≤ 64. For u &gt; 64 it returns
     * e^{−64} ≈ 1.6·10⁻²⁸ instead of a smaller weight; N such weights change a normaliser ≥ 1 by less than
     * N·1.6·10⁻²⁸, far below double rounding.
     */
    static double expNeg(double u) {
        double z = Math.min(u, 64.0) * (-1.0 / 128) + 0.25;
        double p = 1.0 + z * (1.0 + z * (1.0 / 2 + z * (1.0 / 6 + z * (1.0 / 24 + z * (1.0 / 120 + z * (1.0 / 720
                + z * (1.0 / 5040 + z * (1.0 / 40320 + z * (1.0 / 362880 + z * (1.0 / 3628800 + z * (1.0 / 39916800)))))))))));
        p *= E_MINUS_QUARTER;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p;
    }

    /** Per-task scratch space. */
    private final class Work {
        final double[][] dist = new double[BLOCK][n];
        final double[] w = new double[n];
        final double[] m = new double[d];
        final double[] u = new double[d];
        final double[] xb = new double[BLOCK * d];
        double z;
    }

    /**
     * Squared distances |x_b − αy_j|² for a block of particles (rows {@code first .. first+count−1}; missing rows
     * of a partial block repeat the last one). Each entry is computed by the same sequence of operations whatever
     * the block, so results do not depend on how particles are grouped.
     */
    private void distances(double[] x, int first, int count, double a, Work wk) {
        for (int b = 0; b < BLOCK; b++) {
            int row = first + Math.min(b, count - 1);
            System.arraycopy(x, row * d, wk.xb, b * d, d);
        }
        double[] yT = columns();
        double[] d0 = wk.dist[0];
        double[] d1 = wk.dist[1];
        double[] d2 = wk.dist[2];
        double[] d3 = wk.dist[3];
        double[] xb = wk.xb;
        if (d == 2) {
            // the common 2-D case in one pass that writes each distance once (no zero fill, no read-modify-write);
            // the same operations in the same order for every particle, as in the general loop
            double x00 = xb[0];
            double x01 = xb[1];
            double x10 = xb[2];
            double x11 = xb[3];
            double x20 = xb[4];
            double x21 = xb[5];
            double x30 = xb[6];
            double x31 = xb[7];
            for (int j = 0; j < n; j++) {
                double v0 = a * yT[j];
                double v1 = a * yT[n + j];
                double e = x00 - v0;
                double f = x01 - v1;
                d0[j] = e * e + f * f;
                e = x10 - v0;
                f = x11 - v1;
                d1[j] = e * e + f * f;
                e = x20 - v0;
                f = x21 - v1;
                d2[j] = e * e + f * f;
                e = x30 - v0;
                f = x31 - v1;
                d3[j] = e * e + f * f;
            }
            return;
        }
        for (int b = 0; b < BLOCK; b++) {
            java.util.Arrays.fill(wk.dist[b], 0);
        }
        for (int lo = 0; lo < n; lo += TILE) {
            int hi = Math.min(n, lo + TILE);
            for (int k = 0; k < d; k++) {
                double x0 = xb[k];
                double x1 = xb[d + k];
                double x2 = xb[2 * d + k];
                double x3 = xb[3 * d + k];
                int base = k * n;
                for (int j = lo; j < hi; j++) {
                    double v = a * yT[base + j];
                    double e0 = x0 - v;
                    double e1 = x1 - v;
                    double e2 = x2 - v;
                    double e3 = x3 - v;
                    d0[j] += e0 * e0;
                    d1[j] += e1 * e1;
                    d2[j] += e2 * e2;
                    d3[j] += e3 * e3;
                }
            }
        }
    }

    /**
     * Soft-max weights of block slot b: wk.w[j] = e^{−(D_j − D_min)/(2σ²)} (unnormalised, the largest is 1),
     * wk.z = Σ_j w_j, and wk.m = Σπ_j(αy_j − x) = α(Σ w_j y_j)/z − x. Reductions use four interleaved accumulators
     * in a fixed order (deterministic); for d ≤ 2 all sums are taken in one pass.
     */
    private void weights(int b, double a, double s2, Work wk) {
        double[] yT = columns();
        double[] dist = wk.dist[b];
        double m0 = Double.POSITIVE_INFINITY;
        double m1 = m0;
        double m2 = m0;
        double m3 = m0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            m0 = dist[j] < m0 ? dist[j] : m0;
            m1 = dist[j + 1] < m1 ? dist[j + 1] : m1;
            m2 = dist[j + 2] < m2 ? dist[j + 2] : m2;
            m3 = dist[j + 3] < m3 ? dist[j + 3] : m3;
        }
        for (; j < n; j++) {
            m0 = dist[j] < m0 ? dist[j] : m0;
        }
        double dmin = Math.min(Math.min(m0, m1), Math.min(m2, m3));
        double inv = 1 / (2 * s2);
        double[] w = wk.w;
        for (j = 0; j < n; j++) {
            w[j] = expNeg((dist[j] - dmin) * inv);
        }
        double[] m = wk.m;
        int xo = b * d;
        if (d <= 2) {
            int b1 = d == 2 ? n : 0;
            double z0 = 0;
            double z1 = 0;
            double z2 = 0;
            double z3 = 0;
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            for (j = 0; j + 3 < n; j += 4) {
                double w0 = w[j];
                double w1 = w[j + 1];
                double w2 = w[j + 2];
                double w3 = w[j + 3];
                z0 += w0;
                z1 += w1;
                z2 += w2;
                z3 += w3;
                a0 += w0 * yT[j];
                a1 += w1 * yT[j + 1];
                a2 += w2 * yT[j + 2];
                a3 += w3 * yT[j + 3];
                c0 += w0 * yT[b1 + j];
                c1 += w1 * yT[b1 + j + 1];
                c2 += w2 * yT[b1 + j + 2];
                c3 += w3 * yT[b1 + j + 3];
            }
            for (; j < n; j++) {
                z0 += w[j];
                a0 += w[j] * yT[j];
                c0 += w[j] * yT[b1 + j];
            }
            double z = (z0 + z1) + (z2 + z3);
            wk.z = z;
            m[0] = a * (((a0 + a1) + (a2 + a3)) / z) - wk.xb[xo];
            if (d == 2) {
                m[1] = a * (((c0 + c1) + (c2 + c3)) / z) - wk.xb[xo + 1];
            }
            return;
        }
        double z0 = 0;
        double z1 = 0;
        double z2 = 0;
        double z3 = 0;
        for (j = 0; j + 3 < n; j += 4) {
            z0 += w[j];
            z1 += w[j + 1];
            z2 += w[j + 2];
            z3 += w[j + 3];
        }
        for (; j < n; j++) {
            z0 += w[j];
        }
        double z = (z0 + z1) + (z2 + z3);
        wk.z = z;
        for (int k = 0; k < d; k++) {
            int base = k * n;
            double s0 = 0;
            double s1 = 0;
            double s2a = 0;
            double s3 = 0;
            for (j = 0; j + 3 < n; j += 4) {
                s0 += w[j] * yT[base + j];
                s1 += w[j + 1] * yT[base + j + 1];
                s2a += w[j + 2] * yT[base + j + 2];
                s3 += w[j + 3] * yT[base + j + 3];
            }
            for (; j < n; j++) {
                s0 += w[j] * yT[base + j];
            }
            m[k] = a * (((s0 + s1) + (s2a + s3)) / z) - wk.xb[xo + k];
        }
    }

    private void run(Batch x, double t, Want want, double[] out) {
        requireDim(x);
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        if (!(s2 > 0)) {
            throw new InvalidInputException("exact score needs σ(t) > 0, got t=" + t);
        }
        double[] xs = x.data();
        int size = x.size();
        TorchExactKernel native_ = want == Want.SCORE ? torchFor(s2) : null;
        if (native_ != null) {
            int nc = (size + TorchExactKernel.CHUNK - 1) / TorchExactKernel.CHUNK;
            IntStream.range(0, nc).parallel().forEach(c -> {
                int first = c * TorchExactKernel.CHUNK;
                native_.weightedMean(xs, first, Math.min(TorchExactKernel.CHUNK, size - first), a, s2, out);
            });
            for (int q = 0; q < size * d; q++) {
                out[q] /= s2;
            }
            return;
        }
        int chunks = (size + CHUNK - 1) / CHUNK;
        IntStream range = IntStream.range(0, chunks);
        if ((long) size * n * d > 200_000) {
            range = range.parallel();
        }
        range.forEach(ch -> {
            Work wk = new Work();
            int end = Math.min(size, (ch + 1) * CHUNK);
            for (int first = ch * CHUNK; first < end; first += BLOCK) {
                int count = Math.min(BLOCK, end - first);
                distances(xs, first, count, a, wk);
                for (int b = 0; b < count; b++) {
                    int i = first + b;
                    weights(b, a, s2, wk);
                    switch (want) {
                        case SCORE -> {
                            for (int k = 0; k < d; k++) {
                                out[i * d + k] = wk.m[k] / s2;
                            }
                        }
                        case DIVERGENCE -> out[i] = -d / s2 + centredSecondMoment(b, a, wk, null, 0) / (s2 * s2);
                        case JACOBIAN -> {
                            int o = i * d * d;
                            centredSecondMoment(b, a, wk, out, o);
                            for (int p = 0; p < d * d; p++) {
                                out[o + p] /= s2 * s2;
                            }
                            for (int k = 0; k < d; k++) {
                                out[o + k * d + k] -= 1 / s2;
                            }
                        }
                        default -> throw new IllegalStateException();
                    }
                }
            }
        });
    }

    /**
     * Σπ_j |u_j − m|² with u_j = αy_j − x (= tr Cov_π[αy]); when {@code cov} is given, also writes the full
     * covariance into cov[o ...]. Weights below 10⁻³⁰⁰ are skipped.
     */
    private double centredSecondMoment(int b, double a, Work wk, double[] cov, int o) {
        double invz = 1 / wk.z;
        for (int j = 0; j < n; j++) {
            wk.w[j] *= invz;
        }
        double tr = 0;
        if (cov != null) {
            java.util.Arrays.fill(cov, o, o + d * d, 0);
        }
        int xo = b * d;
        for (int j = 0; j < n; j++) {
            double wj = wk.w[j];
            if (wj < 1e-300) {
                continue;
            }
            for (int k = 0; k < d; k++) {
                wk.u[k] = a * y[j * d + k] - wk.xb[xo + k] - wk.m[k];
                tr += wj * wk.u[k] * wk.u[k];
            }
            if (cov != null) {
                for (int p = 0; p < d; p++) {
                    for (int r = 0; r < d; r++) {
                        cov[o + p * d + r] += wj * wk.u[p] * wk.u[r];
                    }
                }
            }
        }
        return tr;
    }

    @Override
    public void score(Batch x, double t, Batch out) {
        run(x, t, Want.SCORE, out.data());
    }


    @Override
    public void divergence(Batch x, double t, double[] out) {
        run(x, t, Want.DIVERGENCE, out);
    }


    @Override
    public void jacobian(Batch x, double t, double[] out) {
        run(x, t, Want.JACOBIAN, out);
    }

    @Override
    public String describe() {
        return "exact(N=" + n + ")";
    }
}
