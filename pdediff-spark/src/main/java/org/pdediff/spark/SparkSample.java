package org.pdediff.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.pdediff.cli.Main;
import org.pdediff.cli.SweepPoints;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.TempFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code pdediff sample} split into shards that run as Spark tasks: task I runs {@code pdediff sample ARGS --shard I/N}
 * (the local command, in its JVM) and ships its folder back; the driver then runs {@code pdediff merge} on the shards.
 * The result is the unsharded local run: samples, trajectories and plot byte for byte, run.json up to timings.
 *
 * <pre>
 * spark-submit --class org.pdediff.spark.SparkSample --master spark://HOST:7077 --jars ... pdediff-spark.jar \
 *     --shards 64 --out DIR -- --data gmm --n 2000000 --sampler heun --steps 100
 * </pre>
 */
@Command(name = "pdediff-spark-sample", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run 'pdediff sample' as N shard tasks on Spark and merge them; every other option is passed to 'pdediff sample'.")
public final class SparkSample implements Callable<Integer> {
    @Option(names = "--shards", required = true, description = "Number of shards (Spark tasks).")
    int shards;

    @picocli.CommandLine.Mixin
    SparkOptions opts = new SparkOptions();

    @Parameters(paramLabel = "SAMPLE_OPTIONS", description = "Options of 'pdediff sample' (after --).")
    List<String> positional = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(SparkEngine.execute("pdediff-spark", new SparkSample(), args));
    }

    @Override
    public Integer call() {
        List<String> sampleArgs = new ArrayList<>(positional);
        sampleArgs.addAll(unmatched);
        validate(sampleArgs, shards); // bad options fail before Spark starts
        try (JavaSparkContext sc = SparkEngine.context("pdediff sample --shards " + shards, opts.master)) {
            SweepPoints.Outcome o = run(sc, sampleArgs, shards, opts.out);
            if (!o.ok()) {
                System.err.println("pdediff-spark: " + o.error());
                return o.exit();
            }
        }
        if (opts.json) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("out", opts.out.toString());
            s.put("shards", shards);
            System.out.println(Json.compact(s));
        } else {
            System.err.printf("pdediff-spark: %d shards sampled and merged into %s%n", shards, opts.out);
        }
        return 0;
    }

    /** Checks the sample options as {@code pdediff sample} parses them (before any task starts). */
    static void validate(List<String> sampleArgs, int shards) {
        if (shards < 1) {
            throw new InvalidInputException("--shards must be >= 1, got " + shards);
        }
        for (String a : sampleArgs) {
            if (a.equals("--shard") || a.startsWith("--shard=") || a.equals("--out") || a.startsWith("--out=")) {
                throw new InvalidInputException(a.replaceFirst("=.*", "") + " is set by pdediff-spark (give --shards N and --out DIR)");
            }
        }
        List<String> probe = new ArrayList<>(List.of("sample"));
        probe.addAll(sampleArgs);
        probe.addAll(List.of("--out", "probe"));
        try {
            Main.commandLine().parseArgs(probe.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new InvalidInputException("sample options: " + SparkEngine.oneLine(e.getMessage()));
        }
    }

    /**
     * Samples in {@code shards} Spark tasks and merges into {@code out}; returns the first failed shard's outcome,
     * else the merge's. Nothing is written at {@code out} unless every shard succeeded (the shards wait in a hidden
     * folder beside it, removed afterwards).
     */
    public static SweepPoints.Outcome run(JavaSparkContext sc, List<String> sampleArgs, int shards, Path out) {
        validate(sampleArgs, shards);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            idx.add(i);
        }
        List<String> args = List.copyOf(sampleArgs);
        List<SparkEngine.Shipped<SweepPoints.Outcome>> got = sc.parallelize(idx, shards).map(i -> task(args, i, shards)).collect();
        for (SparkEngine.Shipped<SweepPoints.Outcome> s : got) {
            if (!s.value().ok()) {
                return s.value();
            }
        }
        Path target = out.toAbsolutePath().normalize();
        Path work = target.resolveSibling("." + target.getFileName() + ".shards-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        TempFiles.register(work, () -> TempFiles.deleteRecursively(work));
        try {
            List<String> merge = new ArrayList<>(List.of("merge"));
            for (int i = 0; i < shards; i++) {
                Path d = work.resolve("shard-" + i);
                SparkEngine.unpack(got.get(i).files(), d);
                merge.add(d.toString());
            }
            merge.addAll(List.of("--out", out.toString()));
            return SweepPoints.execute(merge.toArray(new String[0]));
        } finally {
            TempFiles.deleteRecursively(work);
            TempFiles.release(work);
            if (Files.exists(work)) {
                SparkEngine.removeTree(work);
            }
        }
    }

    /** Shard {@code i} on an executor: the local sample command with {@code --shard i/N} in a temporary folder. */
    static SparkEngine.Shipped<SweepPoints.Outcome> task(List<String> sampleArgs, int i, int shards) {
        Path tmp = SparkEngine.taskDir("pdediff-shard-");
        try {
            Path dir = tmp.resolve("shard-" + i);
            List<String> a = new ArrayList<>(List.of("sample"));
            a.addAll(sampleArgs);
            a.addAll(List.of("--shard", i + "/" + shards, "--out", dir.toString()));
            SweepPoints.Outcome o = SweepPoints.execute(a.toArray(new String[0]));
            String error = o.error().replace(dir.toString(), "shard-" + i);
            return new SparkEngine.Shipped<>(new SweepPoints.Outcome(o.exit(), error), o.ok() ? SparkEngine.pack(dir) : Map.of());
        } finally {
            SparkEngine.removeTree(tmp);
        }
    }
}
