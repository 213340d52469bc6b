package org.pdediff.score;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.stream.IntStream;
import org.pdediff.core.Batch;
import org.pdediff.core.Linalg;

/**
 * M10 for data of high dimension (digits, d = 64; Fashion-MNIST, N = 60,000, d = 784): the distances come from a
 * native float64 GEMM (DJL/PyTorch), points whose soft-max weight is provably below 10⁻¹⁶ of the largest are
 * dropped, and the weighted mean is a second GEMM where many weights survive and exact sums over the survivors
 * where few do.
 * <pre>
 *   D̃_j = |x|² − 2α (X Yᵀ)_j + α²|y_j|²                       (GEMM 1, per data block, in parallel)
 *   E   = (d + 8)·u·(|x| + α max_j |y_j|)²,  u = 2⁻⁵³          (|D̃_j − |x − αy_j|²| ≤ E, Higham's dot-product bound)
 *   C   = { j : D̃_j − min D̃ ≤ 2σ² L + 2E },  L = ln 10¹⁶     (every j outside C has π_j/π_max &lt; 10⁻¹⁶: proved below)
 *   m   = Σ_{j∈C} w_j (αy_j − x) / Σ_{j∈C} w_j,   w_j = e^{−(D_j − D_min)/(2σ²)}   (s = m/σ², M10)
 * </pre>
 * Proof of the pruning: for j ∉ C, D_j − D_min ≥ (D̃_j − E) − (min D̃ + E) &gt; 2σ²L, so w_j/w_max = e^{−(D_j − D_min)/(2σ²)}
 * &lt; e^{−L} = 10⁻¹⁶. Dropping them changes the normaliser Σw ≥ 1 by less than N·10⁻¹⁶ relative (6·10⁻¹² for
 * N = 60,000), below the other rounding of the score. The bound E is computed per row, never assumed.
 *
 * <p>Per row, when C is small (≤ max(64, N/32)) the row is "sparse": its distances to the points of C are recomputed
 * exactly from differences Σ_k (x_k − αy_jk)² (no cancellation, so the score stays accurate at any σ), the final set
 * is {j ∈ C : (D_j − D_min)/(2σ²) ≤ L} decided on those exact distances, and the sums run in ascending j. Otherwise
 * the row is "dense": w_j = e^{−(D̃_j − min D̃)/(2σ²)} on C and the sum is GEMM 2 (W Y per block); its logit error
 * E/(2σ²) must be ≤ 10⁻⁹ — where it is not, that row alone is computed exactly from differences over all N.
 *
 * <p>Reproducibility: rows go through the GEMMs in chunks of exactly {@link #CHUNK} (the last one padded) and the data
 * in fixed blocks of {@link #BLOCK} points whose partial results are combined in block order, so a particle's score
 * depends neither on its batch nor on the number of threads.
 */
final class TorchExactKernel implements AutoCloseable {
    /** Rows per native call. */
    static final int CHUNK = 64;
    /** Data points per block of the GEMMs (a task each). */
    static final int BLOCK = 8192;
    /** ln 10¹⁶: points whose weight is below e^{−L} of the largest are dropped. */
    static final double LOG_PRUNE = Math.log(1e16);
    private static final double U = 0x1p-53;

    /** Rank of the projection bound for large data (n·d ≥ 4·10⁶, d ≥ 256). */
    static final int RANK = 128;
    /** Average candidates per row above which the bound path gives way to the full GEMM. */
    private static final int BOUND_BUDGET = 512;

    private final NDManager base;
    private final NDArray yAll;
    private final int rank;
    private volatile Projection projection;
    private volatile boolean projectionFailed;
    /** σ² below which the bound path is tried (a speed heuristic only: both paths give the same bits). */
    private volatile double boundTryBelow = 0.3;
    private final NDArray[] yBlock;
    private final NDArray[] yBlockT;
    private final double[] yRows;  // row-major N × d, shared with the owner (read only)
    private final double[] yy;
    private final double maxNorm;
    private final int n;
    private final int d;
    private final int blocks;
    private final int sparseMax;

    TorchExactKernel(double[] rowMajor, int n, int d) {
        this(rowMajor, n, d, (long) n * d >= 4_000_000L && d >= 2 * RANK ? RANK : 0);
    }

    /** With the projection bound of the given rank (0: none). */
    TorchExactKernel(double[] rowMajor, int n, int d, int rank) {
        this.rank = Math.min(rank, d);
        this.n = n;
        this.d = d;
        this.yRows = rowMajor;
        this.base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        NDArray y = base.create(rowMajor, new Shape(n, d));
        this.yAll = y;
        this.blocks = (n + BLOCK - 1) / BLOCK;
        this.yBlock = new NDArray[blocks];
        this.yBlockT = new NDArray[blocks];
        for (int b = 0; b < blocks; b++) {
            yBlock[b] = block(y, b);
            yBlockT[b] = yBlock[b].transpose();
        }
        this.yy = new double[n];
        double mx = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += rowMajor[j * d + k] * rowMajor[j * d + k];
            }
            yy[j] = s;
            mx = Math.max(mx, s);
        }
        this.maxNorm = Math.sqrt(mx);
        this.sparseMax = Math.max(64, n / 32);
    }

    /** Data block b (points [b·BLOCK, min(N, (b+1)·BLOCK))) of a native array with one row per data point. */
    private NDArray block(NDArray rows, int b) {
        return rows.get(new NDIndex((b * BLOCK) + ":" + Math.min(n, (b + 1) * BLOCK)));
    }

    /** The number of points in data block b: {@link #BLOCK}, except in the last block. */
    private int blockLength(int b) {
        return Math.min(n, (b + 1) * BLOCK) - b * BLOCK;
    }

    /** What one data block does with its GEMM product (a native CHUNK × len array, now owned by the callee). */
    @FunctionalInterface
    private interface BlockProduct {
        void accept(int b, int lo, int len, NDArray product);
    }

    /**
     * GEMM per data block, the blocks in parallel: X·B_b for the chunk xs and each block's transposed columns
     * B_b = blocksT[b], handed with the block's first point lo = b·BLOCK and its length to {@code body}.
     */
    private void forEachBlockProduct(NDArray xs, NDArray[] blocksT, BlockProduct body) {
        IntStream.range(0, blocks).parallel().forEach(b -> body.accept(b, b * BLOCK, blockLength(b), xs.matMul(blocksT[b])));
    }

    /** Counters of how rows were computed (for benchmarks and tests). */
    static final class Stats {
        final java.util.concurrent.atomic.LongAdder sparseRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder denseRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder exactRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder kept = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder boundChunks = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder fullChunks = new java.util.concurrent.atomic.LongAdder();
    }

    final Stats stats = new Stats();

    /**
     * For rows {@code first .. first+count−1} of x (count ≤ CHUNK), writes m = Σπ_j(αy_j − x) into
     * {@code m[(first + r)·d ...]}.
     */
    void weightedMean(double[] x, int first, int count, double a, double s2, double[] m) {
        double[] chunk = new double[CHUNK * d];
        for (int r = 0; r < CHUNK; r++) {
            int row = first + Math.min(r, count - 1);
            System.arraycopy(x, row * d, chunk, r * d, d);
        }
        if (rank > 0 && s2 < boundTryBelow) {
            if (boundPath(chunk, first, count, a, s2, m)) {
                stats.boundChunks.increment();
                return;
            }
            boundTryBelow = 0.7 * s2;
        }
        stats.fullChunks.increment();
        fullPath(chunk, first, count, a, s2, m);
    }

    /**
     * The chunk by the full GEMM, every large array staying native: logits ℓ_j = (2α x·y_j − α²|y_j|²)/(2σ²)
     * (= (|x|² − D̃_j)/(2σ²)) per block, the row maxima, the candidate counts {ℓ_j ≥ max ℓ − L − 3E/(2σ²)} (the
     * candidates of the class comment, with E of rounding slack for forming ℓ), then per row: sparse (candidate
     * mask to Java, {@link #finishSparse}), dense (w = e^{ℓ − max ℓ}, Σw and W·Y per block, combined in block order),
     * or exact from differences where the GEMM logits are not accurate enough.
     */
    private void fullPath(double[] chunk, int first, int count, double a, double s2, double[] m) {
        double[] xx = new double[CHUNK];
        double[] cutv = new double[CHUNK];
        for (int r = 0; r < CHUNK; r++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += chunk[r * d + k] * chunk[r * d + k];
            }
            xx[r] = s;
        }
        double twoS2 = 2 * s2;
        double[] bias = new double[n];
        double c0 = -a * a / twoS2;
        for (int j = 0; j < n; j++) {
            bias[j] = c0 * yy[j];
        }
        NDArray[] lg = new NDArray[blocks];
        double[][] maxes = new double[blocks][];
        NDManager cm = base.newSubManager();
        try {
            NDArray xs = cm.create(chunk, new Shape(CHUNK, d));
            forEachBlockProduct(xs, yBlockT, (b, lo, len, g) -> {
                NDArray bi = cm.create(java.util.Arrays.copyOfRange(bias, lo, lo + len), new Shape(1, len));
                NDArray l = g.muli(a / s2).addi(bi);
                bi.close();
                lg[b] = l;
                NDArray mx = l.max(new int[] {1});
                maxes[b] = mx.toDoubleArray();
                mx.close();
            });
            double[] mrow = new double[CHUNK];
            double[] e = new double[CHUNK];
            for (int r = 0; r < CHUNK; r++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int b = 0; b < blocks; b++) {
                    mx = Math.max(mx, maxes[b][r]);
                }
                mrow[r] = mx;
                e[r] = (d + 8) * U * 1.01 * sq(Math.sqrt(xx[r]) + a * maxNorm);
                cutv[r] = mx - LOG_PRUNE - 3 * e[r] / twoS2;
            }
            NDArray cutArr = cm.create(cutv, new Shape(CHUNK, 1));
            double[][] counts = new double[blocks][];
            IntStream.range(0, blocks).parallel().forEach(b -> {
                NDArray mask = lg[b].gte(cutArr);
                NDArray f = mask.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                NDArray c = f.sum(new int[] {1});
                counts[b] = c.toDoubleArray();
                c.close();
                f.close();
                mask.close();
            });
            boolean[] dense = new boolean[count];
            boolean[] sparse = new boolean[count];
            boolean anyDense = false;
            boolean anySparse = false;
            int[] cnt = new int[count];
            for (int r = 0; r < count; r++) {
                double c = 0;
                for (int b = 0; b < blocks; b++) {
                    c += counts[b][r];
                }
                cnt[r] = (int) c;
                if (c <= sparseMax) {
                    sparse[r] = true;
                    anySparse = true;
                } else if (e[r] / twoS2 <= 1e-9) {
                    dense[r] = true;
                    anyDense = true;
                } else {
                    stats.exactRows.increment();
                    exactRow(chunk, r, a, s2, m, (first + r) * d);
                }
            }
            if (anySparse) {
                boolean[][] masks = new boolean[blocks][];
                IntStream.range(0, blocks).parallel().forEach(b -> {
                    NDArray mask = lg[b].gte(cutArr);
                    masks[b] = mask.toBooleanArray();
                    mask.close();
                });
                IntStream.range(0, count).parallel().forEach(r -> {
                    if (sparse[r]) {
                        finishCandidates(chunk, first, r, cnt[r], (b, at) -> masks[b][at], a, s2, m);
                    }
                });
            }
            if (anyDense) {
                NDArray mArr = cm.create(mrow, new Shape(CHUNK, 1));
                double[][] part = new double[blocks][];
                double[][] zs = new double[blocks][];
                IntStream.range(0, blocks).parallel().forEach(b -> {
                    NDArray w = lg[b].subi(mArr).exp();
                    NDArray z = w.sum(new int[] {1});
                    zs[b] = z.toDoubleArray();
                    z.close();
                    NDArray pm = w.matMul(yBlock[b]);
                    part[b] = pm.toDoubleArray();
                    pm.close();
                });
                for (int r = 0; r < count; r++) {
                    if (!dense[r]) {
                        continue;
                    }
                    stats.denseRows.increment();
                    double z = 0;
                    for (int b = 0; b < blocks; b++) {
                        z += zs[b][r];
                    }
                    int o = (first + r) * d;
                    for (int k = 0; k < d; k++) {
                        double sum = 0;
                        for (int b = 0; b < blocks; b++) {
                            sum += part[b][r * d + k];
                        }
                        m[o + k] = a * (sum / z) - chunk[r * d + k];
                    }
                }
            }
        } finally {
            cm.close();
        }
    }

    /**
     * The projection bound (for large N·d): with μ the data mean, P the d×k matrix of the top k principal directions
     * (orthonormal columns), ŷ = y − μ, x̂ = x − αμ (so x − αy = x̂ − αŷ) and Q = I − PPᵀ,
     * <pre>
     *   |x − αy_j|² = |Pᵀ(x̂ − αŷ_j)|² + |Q(x̂ − αŷ_j)|² ≥ |Pᵀx̂ − αPᵀŷ_j|² + (|Qx̂| − α|Qŷ_j|)² =: LB_j
     * </pre>
     * (reverse triangle inequality in the complement), one GEMM of inner size k instead of d. |Qv| is computed as
     * √(|v|² − |Pᵀv|²); its rounding (≤ √((d+k+4)u)·|v| ≤ 3.2·10⁻⁷|v| for d + k ≤ 1000) and that of the GEMM are
     * covered by the margin M = (k+8)u(|Pᵀx̂| + α max|Pᵀŷ|)² + 10⁻⁶(|x̂| + α max|ŷ|)². With D_ref the exact distance
     * to the point of smallest LB (so D_min ≤ D_ref), every j with LB_j − M &gt; D_ref + 2σ²L has
     * D_j − D_min &gt; 2σ²L: its weight is below 10⁻¹⁶ of the largest. The rest are the candidates of
     * {@link #finishSparse}. Used where every row of the chunk has few candidates (small σ); otherwise the chunk
     * takes the full GEMM. P comes from EJML's symmetric eigen-decomposition of the covariance (computed by a native
     * GEMM), re-orthonormalised by two passes of Gram–Schmidt.
     */
    private static final class Projection {
        final int k;
        final double[] mu;
        final double[] p;          // d × k, row-major
        final NDArray[] ypBlockT;  // per block, (Pᵀŷ_j) as a k × len view
        final double[] ypp;        // |Pᵀŷ_j|²
        final double[] qy;         // |Qŷ_j|
        final double maxYp;
        final double maxYc;

        Projection(int k, double[] mu, double[] p, NDArray[] ypBlockT, double[] ypp, double[] qy, double maxYp, double maxYc) {
            this.k = k;
            this.mu = mu;
            this.p = p;
            this.ypBlockT = ypBlockT;
            this.ypp = ypp;
            this.qy = qy;
            this.maxYp = maxYp;
            this.maxYc = maxYc;
        }
    }

    /** Builds the projection bound now if this kernel uses one. */
    void prepare() {
        if (rank > 0) {
            projection();
        }
    }

    private Projection projection() {
        Projection pr = projection;
        if (pr == null && !projectionFailed) {
            synchronized (this) {
                pr = projection;
                if (pr == null && !projectionFailed) {
                    pr = buildProjection();
                    projectionFailed = pr == null;
                    projection = pr;
                }
            }
        }
        return pr;
    }

    private Projection buildProjection() {
        int k = rank;
        double[] mu = Batch.wrap(yRows, n, d).mean();
        double[] cov;
        NDArray yt = yAll.transpose();
        NDArray prod = yt.matMul(yAll);
        cov = prod.toDoubleArray();
        prod.close();
        yt.close();
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                cov[r * d + c] = cov[r * d + c] / n - mu[r] * mu[c];
            }
        }
        org.ejml.data.DMatrixRMaj cm = new org.ejml.data.DMatrixRMaj(d, d, true, cov);
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> eig =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cm)) {
            return null;
        }
        Integer[] order = new Integer[d];
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
            ev[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (u, v) -> Double.compare(ev[v], ev[u]));
        double[] p = new double[d * k];
        for (int c = 0; c < k; c++) {
            org.ejml.data.DMatrixRMaj v = eig.getEigenVector(order[c]);
            if (v == null) {
                return null;
            }
            for (int r = 0; r < d; r++) {
                p[r * k + c] = v.get(r, 0);
            }
        }
        // two passes of modified Gram–Schmidt: columns orthonormal to rounding
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < k; c++) {
                for (int c2 = 0; c2 < c; c2++) {
                    double dot = 0;
                    for (int r = 0; r < d; r++) {
                        dot += p[r * k + c] * p[r * k + c2];
                    }
                    for (int r = 0; r < d; r++) {
                        p[r * k + c] -= dot * p[r * k + c2];
                    }
                }
                Linalg.normalize(p, c, k, d);
            }
        }
        double[] muP = new double[k];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < k; c++) {
                muP[c] += mu[r] * p[r * k + c];
            }
        }
        NDArray pArr = base.create(p, new Shape(d, k));
        NDArray yp0 = yAll.matMul(pArr);
        NDArray muArr = base.create(muP, new Shape(1, k));
        NDArray yp = yp0.sub(muArr);
        yp0.close();
        muArr.close();
        pArr.close();
        double[] ypv = yp.toDoubleArray();
        double[] ypp = new double[n];
        double[] qy = new double[n];
        double maxYp = 0;
        double maxYc = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += ypv[j * k + c] * ypv[j * k + c];
            }
            double t = 0;
            for (int c = 0; c < d; c++) {
                double e = yRows[j * d + c] - mu[c];
                t += e * e;
            }
            ypp[j] = s;
            qy[j] = Math.sqrt(Math.max(0, t - s));
            maxYp = Math.max(maxYp, Math.sqrt(s));
            maxYc = Math.max(maxYc, Math.sqrt(t));
        }
        NDArray[] blocksT = new NDArray[blocks];
        for (int b = 0; b < blocks; b++) {
            blocksT[b] = block(yp, b).transpose();
        }
        return new Projection(k, mu, p, blocksT, ypp, qy, maxYp, maxYc);
    }

    /** The chunk by the projection bound; false (nothing written) where some row has too many candidates. */
    private boolean boundPath(double[] chunk, int first, int count, double a, double s2, double[] m) {
        Projection pr = projection();
        if (pr == null) {
            return false;
        }
        int k = pr.k;
        double[] xp = new double[CHUNK * k];
        double[] xpp = new double[CHUNK];
        double[] qx = new double[CHUNK];
        double[] margin = new double[CHUNK];
        double[] xh = new double[d];
        for (int r = 0; r < CHUNK; r++) {
            double h2 = 0;
            for (int c = 0; c < d; c++) {
                xh[c] = chunk[r * d + c] - a * pr.mu[c];
                h2 += xh[c] * xh[c];
            }
            int o = r * k;
            for (int c = 0; c < d; c++) {
                double v = xh[c];
                int po = c * k;
                for (int q = 0; q < k; q++) {
                    xp[o + q] += v * pr.p[po + q];
                }
            }
            double s = 0;
            for (int q = 0; q < k; q++) {
                s += xp[o + q] * xp[o + q];
            }
            xpp[r] = s;
            qx[r] = Math.sqrt(Math.max(0, h2 - s));
            margin[r] = (k + 8) * U * 1.01 * sq(Math.sqrt(s) + a * pr.maxYp) + 1e-6 * sq(Math.sqrt(h2) + a * pr.maxYc);
        }
        double[][] lb = new double[blocks][];
        int[][] arg = new int[blocks][];
        double[][] argv = new double[blocks][];
        NDManager cm = base.newSubManager();
        try {
            NDArray xs = cm.create(xp, new Shape(CHUNK, k));
            forEachBlockProduct(xs, pr.ypBlockT, (b, lo, len, prod) -> {
                double[] g = prod.toDoubleArray();
                prod.close();
                int[] am = new int[CHUNK];
                double[] av = new double[CHUNK];
                double a2 = a * a;
                for (int r = 0; r < count; r++) {
                    int o = r * len;
                    double best = Double.POSITIVE_INFINITY;
                    int bj = lo;
                    double xr = xpp[r];
                    double qr = qx[r];
                    for (int j = 0; j < len; j++) {
                        double e = qr - a * pr.qy[lo + j];
                        double v = xr - 2 * a * g[o + j] + a2 * pr.ypp[lo + j] + e * e;
                        g[o + j] = v;
                        if (v < best) {
                            best = v;
                            bj = lo + j;
                        }
                    }
                    am[r] = bj;
                    av[r] = best;
                }
                lb[b] = g;
                arg[b] = am;
                argv[b] = av;
            });
        } finally {
            cm.close();
        }
        double[] bound = new double[count];
        int[] counts = new int[count];
        long total = 0;
        for (int r = 0; r < count; r++) {
            int bj = -1;
            double bv = Double.POSITIVE_INFINITY;
            for (int b = 0; b < blocks; b++) {
                if (argv[b][r] < bv) {
                    bv = argv[b][r];
                    bj = arg[b][r];
                }
            }
            double dref = 0;
            int xo = r * d;
            int yo = bj * d;
            for (int c = 0; c < d; c++) {
                double e = chunk[xo + c] - a * yRows[yo + c];
                dref += e * e;
            }
            bound[r] = dref + 2 * s2 * LOG_PRUNE + margin[r];
            int c = 0;
            for (int b = 0; b < blocks; b++) {
                int len = blockLength(b);
                double[] g = lb[b];
                double br = bound[r];
                for (int j = r * len, end = j + len; j < end; j++) {
                    c += g[j] <= br ? 1 : 0;
                }
            }
            counts[r] = c;
            total += c;
            if (c > sparseMax || total > (long) BOUND_BUDGET * count) {
                return false;
            }
        }
        IntStream.range(0, count).parallel().forEach(r -> {
            double br = bound[r];
            finishCandidates(chunk, first, r, counts[r], (b, at) -> lb[b][at] <= br, a, s2, m);
        });
        return true;
    }

    /** Whether the entry at flat offset {@code at} of block b's row-major CHUNK × len result is a candidate. */
    @FunctionalInterface
    private interface Candidate {
        boolean test(int b, int at);
    }

    /**
     * Chunk row r as a sparse row: its candidates j (entry r·len + j of each block b where {@code candidate} holds),
     * gathered in ascending data index across the blocks (the array starts at {@code expected} and grows if that was
     * short), then {@link #finishSparse}.
     */
    private void finishCandidates(double[] chunk, int first, int r, int expected, Candidate candidate, double a, double s2,
                                  double[] m) {
        int[] idx = new int[expected];
        int c = 0;
        for (int b = 0; b < blocks; b++) {
            int lo = b * BLOCK;
            int len = blockLength(b);
            int o = r * len;
            for (int j = 0; j < len; j++) {
                if (candidate.test(b, o + j)) {
                    if (c == idx.length) {
                        idx = java.util.Arrays.copyOf(idx, 2 * c + 1);
                    }
                    idx[c++] = lo + j;
                }
            }
        }
        finishSparse(chunk, r, idx, c, a, s2, m, (first + r) * d);
    }

    private static double sq(double v) {
        return v * v;
    }

    /**
     * The score of a sparse row from candidates {@code idx[0..c)} (ascending, a superset of every j with
     * (D_j − D_min)/(2σ²) ≤ L, including the nearest): exact distances by differences, D_min their minimum, the
     * final set {j : (D_j − D_min)/(2σ²) ≤ L}, sums in ascending j. The result depends only on that final set, so
     * any certified candidate set (full GEMM or projection bound) gives the same bits.
     */
    private void finishSparse(double[] chunk, int r, int[] idx, int c, double a, double s2, double[] m, int o) {
        int kept = weightedMean(chunk, r, idx, c, a, s2, m, o);
        stats.sparseRows.increment();
        stats.kept.add(kept);
    }

    /** A dense row whose GEMM logits are not accurate enough: every distance from differences (slow, rare). */
    private void exactRow(double[] chunk, int r, double a, double s2, double[] m, int o) {
        weightedMean(chunk, r, null, n, a, s2, m, o);
    }

    /**
     * m = α·(Σ_j w_j y_j / Σ_j w_j) − x over the candidates j = idx[0..c) (all rows when idx is null), with exact
     * distances by differences and w_j = exp(−(D_j − D_min)/(2σ²)), pruned beyond {@code LOG_PRUNE}; sums in candidate
     * order. Returns the number of terms kept.
     */
    private int weightedMean(double[] chunk, int r, int[] idx, int c, double a, double s2, double[] m, int o) {
        int xo = r * d;
        double[] dist = new double[c];
        double best = Double.POSITIVE_INFINITY;
        for (int q = 0; q < c; q++) {
            int yo = (idx == null ? q : idx[q]) * d;
            double s = 0;
            for (int k = 0; k < d; k++) {
                double e = chunk[xo + k] - a * yRows[yo + k];
                s += e * e;
            }
            dist[q] = s;
            best = Math.min(best, s);
        }
        double inv = 1 / (2 * s2);
        double[] acc = new double[d];
        double z = 0;
        int kept = 0;
        for (int q = 0; q < c; q++) {
            double u = (dist[q] - best) * inv;
            if (u > LOG_PRUNE) {
                continue;
            }
            double w = Math.exp(-u);
            z += w;
            kept++;
            int yo = (idx == null ? q : idx[q]) * d;
            for (int k = 0; k < d; k++) {
                acc[k] += w * yRows[yo + k];
            }
        }
        for (int k = 0; k < d; k++) {
            m[o + k] = a * (acc[k] / z) - chunk[xo + k];
        }
        return kept;
    }

    /** Largest |y_j|². */
    double maxNormSquared() {
        return maxNorm * maxNorm;
    }

    @Override
    public void close() {
        base.close();
    }
}
