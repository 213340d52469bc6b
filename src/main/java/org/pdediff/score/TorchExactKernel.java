package org.pdediff.score;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.stream.IntStream;

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

    private final NDManager base;
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
        this.n = n;
        this.d = d;
        this.yRows = rowMajor;
        this.base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        NDArray y = base.create(rowMajor, new Shape(n, d));
        this.blocks = (n + BLOCK - 1) / BLOCK;
        this.yBlock = new NDArray[blocks];
        this.yBlockT = new NDArray[blocks];
        for (int b = 0; b < blocks; b++) {
            yBlock[b] = y.get(new NDIndex((b * BLOCK) + ":" + Math.min(n, (b + 1) * BLOCK)));
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

    /** Counters of how rows were computed (for benchmarks and tests). */
    static final class Stats {
        final java.util.concurrent.atomic.LongAdder sparseRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder denseRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder exactRows = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder kept = new java.util.concurrent.atomic.LongAdder();
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
        double[] xx = new double[CHUNK];
        for (int r = 0; r < CHUNK; r++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += chunk[r * d + k] * chunk[r * d + k];
            }
            xx[r] = s;
        }
        // GEMM 1 per block: D̃ (row-major CHUNK × len per block) and each row's minimum per block
        double[][] dt = new double[blocks][];
        double[][] mins = new double[blocks][];
        NDManager cm = base.newSubManager();
        NDArray xs = cm.create(chunk, new Shape(CHUNK, d));
        try {
            IntStream.range(0, blocks).parallel().forEach(b -> {
                int lo = b * BLOCK;
                int len = Math.min(n, lo + BLOCK) - lo;
                NDArray prod = xs.matMul(yBlockT[b]);   // belongs to cm, freed below
                double[] g = prod.toDoubleArray();
                prod.close();
                double[] mn = new double[CHUNK];
                double a2 = a * a;
                for (int r = 0; r < count; r++) {
                    double best = Double.POSITIVE_INFINITY;
                    int o = r * len;
                    double xr = xx[r];
                    for (int j = 0; j < len; j++) {
                        double v = xr - 2 * a * g[o + j] + a2 * yy[lo + j];
                        g[o + j] = v;
                        best = Math.min(best, v);
                    }
                    mn[r] = best;
                }
                dt[b] = g;
                mins[b] = mn;
            });
        } finally {
            cm.close();
        }
        double twoS2 = 2 * s2;
        double[] cut = new double[count];
        double[] dmin = new double[count];
        boolean[] dense = new boolean[count];
        boolean anyDense = false;
        for (int r = 0; r < count; r++) {
            double mn = Double.POSITIVE_INFINITY;
            for (int b = 0; b < blocks; b++) {
                mn = Math.min(mn, mins[b][r]);
            }
            double e = (d + 8) * U * 1.01 * sq(Math.sqrt(xx[r]) + a * maxNorm);
            dmin[r] = mn;
            cut[r] = mn + twoS2 * LOG_PRUNE + 2 * e;
            int c = 0;
            for (int b = 0; b < blocks && c <= sparseMax; b++) {
                int len = Math.min(n, (b + 1) * BLOCK) - b * BLOCK;
                double[] g = dt[b];
                double cr = cut[r];
                for (int j = r * len, end = j + len; j < end; j++) {
                    c += g[j] <= cr ? 1 : 0;
                }
            }
            if (c > sparseMax) {
                if (e / twoS2 <= 1e-9) {
                    dense[r] = true;
                    anyDense = true;
                } else {
                    stats.exactRows.increment();
                    exactRow(chunk, r, a, s2, m, (first + r) * d);
                    dmin[r] = Double.NaN;  // done
                }
            }
        }
        // sparse rows: exact distances to the candidates
        IntStream.range(0, count).parallel().forEach(r -> {
            if (!dense[r] && !Double.isNaN(dmin[r])) {
                sparseRow(chunk, r, dt, cut[r], a, s2, m, (first + r) * d);
            }
        });
        if (anyDense) {
            double[][] part = new double[blocks][];
            double[][] zs = new double[blocks][];
            IntStream.range(0, blocks).parallel().forEach(b -> {
                int lo = b * BLOCK;
                int len = Math.min(n, lo + BLOCK) - lo;
                double[] g = dt[b];
                double[] w = new double[CHUNK * len];
                double[] z = new double[CHUNK];
                double inv = 1 / twoS2;
                for (int r = 0; r < count; r++) {
                    if (!dense[r]) {
                        continue;
                    }
                    double mn = dmin[r];
                    double cr = cut[r];
                    int o = r * len;
                    double z0 = 0;
                    for (int j = 0; j < len; j++) {
                        double v = g[o + j];
                        double wj = v <= cr ? FiniteDataScore.expNeg((v - mn) * inv) : 0;
                        w[o + j] = wj;
                        z0 += wj;
                    }
                    z[r] = z0;
                }
                try (NDManager sub = base.newSubManager()) {
                    NDArray wa = sub.create(w, new Shape(CHUNK, len));
                    part[b] = wa.matMul(yBlock[b]).toDoubleArray();
                }
                zs[b] = z;
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
                    double s = 0;
                    for (int b = 0; b < blocks; b++) {
                        s += part[b][r * d + k];
                    }
                    m[o + k] = a * (s / z) - chunk[r * d + k];
                }
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /** A sparse row: exact distances to the candidates (D̃ ≤ cut), final pruning on those, sums in ascending j. */
    private void sparseRow(double[] chunk, int r, double[][] dt, double cut, double a, double s2, double[] m, int o) {
        int cap = 16;
        int[] idx = new int[cap];
        double[] dist = new double[cap];
        int c = 0;
        int xo = r * d;
        double best = Double.POSITIVE_INFINITY;
        for (int b = 0; b < blocks; b++) {
            int lo = b * BLOCK;
            int len = Math.min(n, lo + BLOCK) - lo;
            double[] g = dt[b];
            int go = r * len;
            for (int j = 0; j < len; j++) {
                if (g[go + j] <= cut) {
                    if (c == cap) {
                        cap *= 2;
                        idx = java.util.Arrays.copyOf(idx, cap);
                        dist = java.util.Arrays.copyOf(dist, cap);
                    }
                    int jj = lo + j;
                    int yo = jj * d;
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double e = chunk[xo + k] - a * yRows[yo + k];
                        s += e * e;
                    }
                    idx[c] = jj;
                    dist[c++] = s;
                    best = Math.min(best, s);
                }
            }
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
            int yo = idx[q] * d;
            for (int k = 0; k < d; k++) {
                acc[k] += w * yRows[yo + k];
            }
        }
        stats.sparseRows.increment();
        stats.kept.add(kept);
        for (int k = 0; k < d; k++) {
            m[o + k] = a * (acc[k] / z) - chunk[xo + k];
        }
    }

    /** A dense row whose GEMM logits are not accurate enough: every distance from differences (slow, rare). */
    private void exactRow(double[] chunk, int r, double a, double s2, double[] m, int o) {
        int xo = r * d;
        double[] dist = new double[n];
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double s = 0;
            int yo = j * d;
            for (int k = 0; k < d; k++) {
                double e = chunk[xo + k] - a * yRows[yo + k];
                s += e * e;
            }
            dist[j] = s;
            best = Math.min(best, s);
        }
        double inv = 1 / (2 * s2);
        double[] acc = new double[d];
        double z = 0;
        for (int j = 0; j < n; j++) {
            double u = (dist[j] - best) * inv;
            if (u > LOG_PRUNE) {
                continue;
            }
            double w = Math.exp(-u);
            z += w;
            int yo = j * d;
            for (int k = 0; k < d; k++) {
                acc[k] += w * yRows[yo + k];
            }
        }
        for (int k = 0; k < d; k++) {
            m[o + k] = a * (acc[k] / z) - chunk[xo + k];
        }
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
