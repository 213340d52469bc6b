import java.util.Random;
import org.pdediff.core.Batch;
import org.pdediff.metrics.GridHistogram;
import org.pdediff.metrics.GroundCost;
import org.pdediff.metrics.TransportResult;
import org.pdediff.metrics.Wasserstein;

/**
 * bench/ot_sparse_bench.sh: exact W2² between two 64×64 histograms (box [−3.5, 3.5]², 20,000 samples each) on the
 * complete bipartite graph (pdediff.ot.arcs=dense) and on the certified sparse arc set (sparse), in one JVM, JIT
 * warmed on a small pair first. Laws: "blobs" (8 Gaussians of sd 0.45 on the circle of radius 2) and "checker"
 * (uniform on the 18 dark squares of a 6×6 board over [−3, 3]²). Prints one line per pair: cells, wall and thread-CPU ms
 * (OR-Tools runs in the calling thread), ratios, values.
 * Run as a single-file program on pdediff's class path. Args: [SAMPLES] [SEED].
 */
public final class OtSparseBench {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        // warm-up: both paths on a small pair
        run(sample("blobs", 2_000, seed + 100), sample("checker", 2_000, seed + 101), 16, "warm-up", false);
        String[][] pairs = {{"blobs", "blobs"}, {"checker", "checker"}, {"blobs", "checker"}};
        for (int k = 0; k < pairs.length; k++) {
            Batch x = sample(pairs[k][0], n, seed + 2 * k);
            Batch y = sample(pairs[k][1], n, seed + 2 * k + 1);
            run(x, y, 64, pairs[k][0] + " vs " + pairs[k][1], true);
        }
    }

    static void run(Batch x, Batch y, int cells, String what, boolean print) {
        GridHistogram hx = GridHistogram.of(x, cells, 3.5);
        GridHistogram hy = GridHistogram.of(y, cells, 3.5);
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        System.setProperty("pdediff.ot.arcs", "dense");
        long c0 = bean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        TransportResult dense = Wasserstein.histograms(hx, hy, GroundCost.SQUARED_EUCLIDEAN);
        long t1 = System.nanoTime();
        long c1 = bean.getCurrentThreadCpuTime();
        System.setProperty("pdediff.ot.arcs", "sparse");
        TransportResult sparse = Wasserstein.histograms(hx, hy, GroundCost.SQUARED_EUCLIDEAN);
        long t2 = System.nanoTime();
        long c2 = bean.getCurrentThreadCpuTime();
        System.clearProperty("pdediff.ot.arcs");
        if (print) {
            double md = (t1 - t0) * 1e-6;
            double ms = (t2 - t1) * 1e-6;
            System.out.printf(java.util.Locale.ROOT,
                    "%s: %d x %d cells of positive mass; wall: dense %.0f ms, sparse %.0f ms, ratio %.1fx; thread cpu:"
                    + " dense %.0f ms, sparse %.0f ms, ratio %.1fx; W2^2 dense %.15g, sparse %.15g (rel diff %.1e,"
                    + " error bound %.1e)%n  sparse log: %s%n", what, hx.counts().length, hy.counts().length, md, ms,
                    md / ms, (c1 - c0) * 1e-6, (c2 - c1) * 1e-6, (double) (c1 - c0) / (c2 - c1), dense.value(),
                    sparse.value(),
                    Math.abs(dense.value() - sparse.value()) / dense.value(), dense.errorBound(), sparse.note());
        }
    }

    static Batch sample(String law, int n, long seed) {
        Random r = new Random(seed);
        Batch b = Batch.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            if (law.equals("blobs")) {
                double a = 2 * Math.PI * r.nextInt(8) / 8;
                b.set(i, 0, 2 * Math.cos(a) + 0.45 * r.nextGaussian());
                b.set(i, 1, 2 * Math.sin(a) + 0.45 * r.nextGaussian());
            } else {
                int cx;
                int cy;
                do {
                    cx = r.nextInt(6);
                    cy = r.nextInt(6);
                } while ((cx + cy) % 2 != 0);
                b.set(i, 0, -3 + cx + r.nextDouble());
                b.set(i, 1, -3 + cy + r.nextDouble());
            }
        }
        return b;
    }
}
