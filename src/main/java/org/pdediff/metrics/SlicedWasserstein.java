package org.pdediff.metrics;

import java.util.stream.IntStream;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Linalg;
import org.pdediff.core.RandomStream;

/**
 * Sliced W2 (MATH.md §8): SW2²(μ, ν) = E_θ W2²(θ·μ, θ·ν) over θ uniform on the unit sphere, estimated with L seeded
 * directions θ_l (normalised standard normals of stream {@code RandomStream.of(seed).derive("sliced-directions")},
 * particle l). Each 1-D W2² is exact (sorted quantiles, any sizes). SW2 ≤ W2.
 *
 * <p>Speed: each projection is sorted by a 2-pass LSD radix sort on the top 32 bits of the order-preserving 64-bit
 * key of each double, followed by an insertion pass that orders the rare runs equal in those bits: the sort is exact
 * in double precision. Directions run in parallel
 * (the result does not depend on the number of threads: per-direction values are summed in direction order).
 */
public final class SlicedWasserstein {
    /** Default number of directions (as POT's {@code sliced_wasserstein_distance}). */
    public static final int DEFAULT_DIRECTIONS = 50;

    private SlicedWasserstein() {
    }

    /**
     * The estimate.
     *
     * @param w2            √(SW2²)
     * @param w2Sq          SW2², the mean over directions of the 1-D W2²
     * @param standardError Monte-Carlo standard error of {@code w2Sq} (sample std of the per-direction values / √L)
     * @param seed          seed of the directions
     * @param directions    the directions, L × d row-major (recorded for reproducibility)
     */
    public record Result(double w2, double w2Sq, double standardError, long seed, Batch directions) {
        public int count() {
            return directions.size();
        }
    }

    /** The L seeded unit directions in R^d. */
    public static Batch directions(int count, int d, long seed) {
        if (count < 1) {
            throw new InvalidInputException("number of directions must be >= 1, got " + count);
        }
        Batch dirs = Batch.zeros(count, d);
        RandomStream.of(seed).derive("sliced-directions").fillNormal(dirs, 0, 0);
        double[] v = dirs.data();
        for (int l = 0; l < count; l++) {
            Linalg.normalize(v, l * d, 1, d);
        }
        return dirs;
    }

    /** SW2 with {@link #DEFAULT_DIRECTIONS} directions of seed 0. */
    public static Result compute(Batch a, Batch b) {
        return compute(a, b, DEFAULT_DIRECTIONS, 0);
    }

    /** SW2 with {@code count} directions of the given seed. */
    public static Result compute(Batch a, Batch b, int count, long seed) {
        Wasserstein.check(a, b);
        int d = a.dim();
        Batch dirs = directions(count, d, seed);
        double[] per = new double[count];
        ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(() -> new Buffers(a.size(), b.size()));
        IntStream.range(0, count).parallel().forEach(l -> {
            Buffers buf = buffers.get();
            sortProjection(a.data(), d, dirs.data(), l * d, buf.sa, buf.keys, buf.tmp);
            sortProjection(b.data(), d, dirs.data(), l * d, buf.sb, buf.keys, buf.tmp);
            per[l] = Wasserstein.sortedCost(buf.sa, buf.sb, 2);
        });
        double mean = 0;
        for (double v : per) {
            mean += v;
        }
        mean /= count;
        double var = 0;
        for (double v : per) {
            var += (v - mean) * (v - mean);
        }
        double se = count > 1 ? Math.sqrt(var / (count - 1) / count) : Double.NaN;
        return new Result(Math.sqrt(Math.max(0, mean)), mean, se, seed, dirs);
    }

    private static final class Buffers {
        final double[] sa;
        final double[] sb;
        final long[] keys;
        final long[] tmp;

        Buffers(int n, int m) {
            sa = new double[n];
            sb = new double[m];
            keys = new long[Math.max(n, m)];
            tmp = new long[Math.max(n, m)];
        }
    }

    /**
     * Sorts {@code v} into {@code out} exactly: the doubles are mapped to order-preserving 64-bit keys, radix-sorted
     * (LSD, stable) on the top 32 key bits only (sign, exponent and 20 mantissa bits: 2 passes of 16 bits), mapped back, and one
     * insertion pass orders the rare runs that agree in those 32 bits (relative width 2^-20). All passes are
     * sequential (no gathers), so memory traffic is a few streams over the arrays.
     */
    static void sort(double[] v, double[] out, long[] keys, long[] tmp) {
        sortProjection(v, 1, new double[] {1}, 0, out, keys, tmp);
    }

    /** Sorts the projections p_i = Σ_k x_ik θ_k (θ = th[off .. off + d)) of row-major points x into out. */
    static void sortProjection(double[] x, int d, double[] th, int off, double[] out, long[] keys, long[] tmp) {
        int n = x.length / d;
        if (n < 256) {
            for (int i = 0; i < n; i++) {
                out[i] = project(x, d, th, off, i);
            }
            java.util.Arrays.sort(out, 0, n);
            return;
        }
        int[] c0 = new int[1 << 16];
        int[] c1 = new int[1 << 16];
        double t0 = th[off];
        double t1 = d > 1 ? th[off + 1] : 0;
        for (int i = 0; i < n; i++) {
            double p = d == 1 ? x[i] * t0 : d == 2 ? x[2 * i] * t0 + x[2 * i + 1] * t1 : project(x, d, th, off, i);
            long bits = Double.doubleToRawLongBits(p);
            long k = bits ^ ((bits >> 63) | Long.MIN_VALUE); // unsigned order = numeric order
            keys[i] = k;
            c0[(int) (k >>> 32) & 0xFFFF]++;
            c1[(int) (k >>> 48)]++;
        }
        scatter(keys, tmp, n, c0, 32, 0xFFFF);
        scatter(tmp, keys, n, c1, 48, 0xFFFF);
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            out[i] = Double.longBitsToDouble(k < 0 ? k ^ Long.MIN_VALUE : ~k);
        }
        // runs equal in the top 32 key bits may be out of order: one insertion pass (each run is tiny)
        for (int i = 1; i < n; i++) {
            double val = out[i];
            if (val < out[i - 1]) {
                int j = i - 1;
                while (j >= 0 && out[j] > val) {
                    out[j + 1] = out[j];
                    j--;
                }
                out[j + 1] = val;
            }
        }
    }

    private static double project(double[] x, int d, double[] th, int off, int i) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[i * d + k] * th[off + k];
        }
        return s;
    }

    private static void scatter(long[] src, long[] dst, int n, int[] count, int shift, int mask) {
        int sum = 0;
        for (int b = 0; b < count.length; b++) {
            int c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (int i = 0; i < n; i++) {
            long k = src[i];
            dst[count[(int) (k >>> shift) & mask]++] = k;
        }
    }
}
