package org.pdediff.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RandomStream;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.sde.VpSde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pdediff bench exact-score}: the problem of ../shared/bench/ref_exact_score_sampling.py (standard normal
 * training data, vp with β ∈ [0.1, 20], ε = 1e-3, Euler–Maruyama on a uniform grid, exact score) timed in-process
 * after a warm-up, printed as one JSON line in the reference's format. Used by bench/exact_score_bench.sh.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true, hidden = true,
        description = "Micro-benchmarks used by the scripts in bench/.")
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "exact-score")
    String what;

    @Option(names = "--n-train", defaultValue = "2000")
    int nTrain;

    @Option(names = "--n", defaultValue = "2000")
    int n;

    @Option(names = "--d", defaultValue = "2")
    int d;

    @Option(names = "--steps", defaultValue = "500")
    int steps;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--data", description = "Training data spec (e.g. fashion-mnist); default: N(0, I_d) with --n-train and --d.")
    String dataSpec;

    @Option(names = "--backend", defaultValue = "auto", description = "Exact-score kernel: auto, java, torch.")
    org.pdediff.score.FiniteDataScore.Backend backend;

    @Override
    public Integer call() {
        if (!what.equals("exact-score")) {
            throw new InvalidInputException("unknown benchmark '" + what + "' (known: exact-score)");
        }
        Batch data;
        if (dataSpec != null) {
            data = org.pdediff.data.DataSets.parse(dataSpec).points();
            nTrain = data.size();
            d = data.dim();
        } else {
            data = Batch.zeros(nTrain, d);
            RandomStream.of(seed).derive("bench-data").fillNormal(data, 0, 0);
        }
        FiniteDataScore score = new FiniteDataScore(new VpSde(0.1, 20, 1), data, backend);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EM).steps(steps).eps(1e-3).seed(seed).build();
        // one-time set-up of the exact score (resident native data, projection bound), timed apart
        long s0 = System.nanoTime();
        score.prepare();
        double setup = (System.nanoTime() - s0) * 1e-9;
        // warm-up: compile the kernels on a short run of the same shapes
        Samplers.fromPrior(score, n, opts.toBuilder().steps(Math.max(5, steps / 50)).build(), n);
        long t0 = System.nanoTime();
        SampleResult r = Samplers.fromPrior(score, n, opts, n);
        double wall = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impl", "pdediff-java");
        m.put("n_train", nTrain);
        m.put("n", n);
        m.put("d", d);
        m.put("steps", steps);
        m.put("wall_s", Math.round(wall * 1e4) / 1e4);
        m.put("setup_s", Math.round(setup * 1e3) / 1e3);
        m.put("particle_steps_per_s", Math.round(n * (double) steps / wall * 10) / 10.0);
        m.put("mean_nearest_train_dist", Math.round(org.pdediff.metrics.Memorization.compute(r.samples(), data).meanNearestDist() * 1e5) / 1e5);
        if (dataSpec != null) {
            m.put("data", dataSpec);
        }
        m.put("backend", backend.name().toLowerCase());
        long[] rows = score.nativeRowCounts();
        if (rows[0] + rows[1] + rows[2] > 0) {
            // row-evaluations of the native kernel (warm-up included): pruned to few points, dense GEMM, by differences
            m.put("native_rows_sparse", rows[0]);
            m.put("native_rows_dense", rows[1]);
            m.put("native_rows_exact", rows[2]);
            m.put("mean_points_kept_per_sparse_row", rows[0] == 0 ? 0 : Math.round(10.0 * rows[3] / rows[0]) / 10.0);
            m.put("native_chunks_projection_bound", rows[4]);
            m.put("native_chunks_full_gemm", rows[5]);
        }
        m.put("threads", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
        System.out.println(Json.compact(m));
        return 0;
    }
}
