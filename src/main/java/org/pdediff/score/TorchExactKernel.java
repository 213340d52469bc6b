package org.pdediff.score;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The dense part of M10 as batched GEMM + soft-max + GEMM on DJL's PyTorch engine in float64, for data of high
 * dimension (digits, d = 64) where the distance computation is a matrix product:
 * <pre>
 *   L = (2α X Yᵀ − α² 1|y|²ᵀ) / (2σ²)      (the row constant −|x|²/(2σ²) cancels in the soft-max)
 *   W = softmax_rows(L),   m = α W Y − X   (= Σπ_j(αy_j − x) per row)
 * </pre>
 * The logits are formed from a dot product, so their absolute rounding error is about 10⁻¹⁶(|x|² + α²|y|²)/(2σ²);
 * {@link FiniteDataScore} uses this path only where that is below 10⁻⁹ and its difference-based Java kernel
 * elsewhere. Rows are processed in chunks of exactly {@link #CHUNK} (the last one padded), so every particle goes
 * through identically shaped products and its result does not depend on the batch it came in.
 */
final class TorchExactKernel implements AutoCloseable {
    /** Rows per native call. */
    static final int CHUNK = 64;

    private final NDManager base;
    private final NDArray y;
    private final NDArray yT;
    private final double[] yy;
    private final int n;
    private final int d;

    TorchExactKernel(double[] rowMajor, int n, int d) {
        this.n = n;
        this.d = d;
        this.base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        this.y = base.create(rowMajor, new Shape(n, d));
        this.yT = y.transpose().duplicate();
        this.yy = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += rowMajor[j * d + k] * rowMajor[j * d + k];
            }
            yy[j] = s;
        }
    }

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
        double[] bias = new double[n];
        double c = -a * a / (2 * s2);
        for (int j = 0; j < n; j++) {
            bias[j] = c * yy[j];
        }
        try (NDManager sub = base.newSubManager()) {
            NDArray xs = sub.create(chunk, new Shape(CHUNK, d));
            NDArray logits = xs.matMul(yT).muli(a / s2).addi(sub.create(bias, new Shape(1, n)));
            NDArray w = logits.softmax(1);
            double[] mean = w.matMul(y).toDoubleArray();
            for (int r = 0; r < count; r++) {
                for (int k = 0; k < d; k++) {
                    m[(first + r) * d + k] = a * mean[r * d + k] - chunk[r * d + k];
                }
            }
        }
    }

    /** Largest |y_j|². */
    double maxNormSquared() {
        double mx = 0;
        for (double v : yy) {
            mx = Math.max(mx, v);
        }
        return mx;
    }

    @Override
    public void close() {
        base.close();
    }
}
