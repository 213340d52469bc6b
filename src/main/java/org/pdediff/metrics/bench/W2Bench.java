package org.pdediff.metrics.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.Json;
import org.pdediff.core.RandomStream;
import org.pdediff.data.Csv;
import org.pdediff.metrics.SlicedWasserstein;
import org.pdediff.metrics.TransportResult;
import org.pdediff.metrics.Wasserstein;

/**
 * In-process timings for {@code bench/w2_bench.sh} (JVM start-up and CSV reading excluded; JIT warmed up on a
 * 500-point problem first). Prints one JSON line.
 *
 * <ul>
 * <li>{@code exact X.csv Y.csv [auction|ortools]}: exact W2² between the two point clouds;</li>
 * <li>{@code sliced N DIRECTIONS SEED}: sliced W2 between N points of N(0, I₂) and N points of N(1, 0.25 I₂).</li>
 * </ul>
 */
public final class W2Bench {
    private W2Bench() {
    }

    public static void main(String[] args) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (args[0]) {
            case "exact" -> {
                Batch x = Csv.read(Path.of(args[1]));
                Batch y = Csv.read(Path.of(args[2]));
                Wasserstein.Solver solver = args.length > 3 && args[3].equals("ortools") ? Wasserstein.Solver.ORTOOLS
                        : Wasserstein.Solver.AUCTION;
                Wasserstein.Options o = Wasserstein.Options.defaults().withSolver(solver);
                int w = Math.min(500, x.size());
                for (int r = 0; r < 2; r++) {
                    Wasserstein.exact(x.rows(0, w), y.rows(0, w), o);
                }
                long t = System.nanoTime();
                long cpu = cpuNanos();
                TransportResult res = Wasserstein.exact(x, y, o);
                double wall = (System.nanoTime() - t) * 1e-9;
                double cpuS = (cpuNanos() - cpu) * 1e-9;
                out.put("impl", "pdediff " + res.method().name().toLowerCase(java.util.Locale.ROOT));
                out.put("n", x.size());
                out.put("d", x.dim());
                out.put("w2_sq", res.value());
                out.put("error_bound", res.errorBound());
                out.put("wall_s", Math.round(wall * 1e4) / 1e4);
                out.put("cpu_s", Math.round(cpuS * 1e4) / 1e4);
            }
            case "sliced" -> {
                int n = Integer.parseInt(args[1]);
                int dirs = Integer.parseInt(args[2]);
                long seed = Long.parseLong(args[3]);
                Batch x = Batch.zeros(n, 2);
                Batch y = Batch.zeros(n, 2);
                RandomStream.of(seed).derive("x").fillNormal(x, 0, 0);
                RandomStream.of(seed).derive("y").fillNormal(y, 0, 0);
                for (int k = 0; k < y.data().length; k++) {
                    y.data()[k] = 1 + 0.5 * y.data()[k];
                }
                SlicedWasserstein.compute(x.rows(0, 20_000), y.rows(0, 20_000), dirs, seed); // JIT warm-up
                long t = System.nanoTime();
                long cpu = cpuNanos();
                SlicedWasserstein.Result r = SlicedWasserstein.compute(x, y, dirs, seed);
                double wall = (System.nanoTime() - t) * 1e-9;
                double cpuS = (cpuNanos() - cpu) * 1e-9;
                out.put("impl", "pdediff sliced");
                out.put("n", n);
                out.put("directions", dirs);
                out.put("threads", Runtime.getRuntime().availableProcessors());
                out.put("sw2_sq", r.w2Sq());
                out.put("standard_error", r.standardError());
                out.put("wall_s", Math.round(wall * 1e4) / 1e4);
                out.put("cpu_s", Math.round(cpuS * 1e4) / 1e4);
            }
            default -> throw new IllegalArgumentException("usage: exact X.csv Y.csv [auction|ortools] | sliced N L SEED");
        }
        System.out.println(Json.compact(out));
    }

    /** CPU time of the whole JVM process (all threads), to judge timings taken on a shared machine. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }
}
