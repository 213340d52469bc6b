package org.pdediff.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.pdediff.cli.SweepCommand;
import org.pdediff.cli.SweepPoints;
import org.pdediff.sweep.PointResult;
import org.pdediff.sweep.Sweep;
import org.pdediff.sweep.SweepPoint;
import org.pdediff.sweep.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pdediff sweep} as Spark jobs: the same spec, folder layout, resumption and table as the local command; each
 * point that is not complete is one Spark task, which runs {@link SweepPoints#run} (the function of the local sweep)
 * in a temporary folder on its executor and ships the folder's files back; the driver writes them under
 * {@code OUT/runs/<point>/}, marks the point complete as soon as it is back, and writes the table at the end. The
 * table is the local sweep's, bit for bit.
 *
 * <pre>
 * spark-submit --class org.pdediff.spark.SparkSweep --master spark://HOST:7077 --jars ... pdediff-spark.jar SPEC.json --out DIR
 * </pre>
 */
@Command(name = "pdediff-spark-sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run a pdediff sweep (see 'pdediff sweep --help') as Spark jobs: one task per point.")
public final class SparkSweep implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC.json", description = "The sweep spec (as for 'pdediff sweep').")
    Path specFile;

    @picocli.CommandLine.Mixin
    SparkOptions opts = new SparkOptions();

    public static void main(String[] args) {
        System.exit(SparkEngine.execute("pdediff-spark", new SparkSweep(), args));
    }

    @Override
    public Integer call() {
        SweepSpec spec = SweepSpec.read(specFile);
        SweepPoints.validate(spec, specFile.toString());
        Sweep sweep = Sweep.open(spec, opts.out);
        int resumed = (int) sweep.points().stream().filter(p -> sweep.completed(p) != null).count();
        List<PointResult> results;
        try (JavaSparkContext sc = SparkEngine.context("pdediff sweep " + specFile.getFileName(), opts.master)) {
            results = run(sc, sweep);
        }
        return SweepCommand.summarise(opts.out, results, resumed, opts.json);
    }

    /**
     * Runs the points of {@code sweep} that are not complete on {@code sc} (one job per point, all submitted at once,
     * so they run side by side), writes each point's folder and mark as it comes back, then the table. Returns the
     * results in grid order.
     */
    public static List<PointResult> run(JavaSparkContext sc, Sweep sweep) {
        Map<SweepPoint, PointResult> done = new LinkedHashMap<>();
        Map<SweepPoint, JavaFutureAction<List<SparkEngine.Shipped<PointResult>>>> running = new LinkedHashMap<>();
        for (SweepPoint p : sweep.points()) {
            PointResult r = sweep.completed(p);
            if (r != null) {
                done.put(p, r);
            } else {
                sc.setJobDescription("pdediff sweep point " + p.id() + " " + p.values());
                running.put(p, sc.parallelize(List.of(p), 1).map(SparkSweep::task).collectAsync());
            }
        }
        try {
            while (!running.isEmpty()) {
                boolean progressed = false;
                for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isDone()) {
                        SparkEngine.Shipped<PointResult> s = e.getValue().get().get(0);
                        SparkEngine.unpack(s.files(), sweep.dir(e.getKey()));
                        sweep.complete(e.getKey(), s.value());
                        done.put(e.getKey(), s.value());
                        it.remove();
                        progressed = true;
                    }
                }
                if (!progressed) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.values().forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            running.values().forEach(f -> f.cancel(true));
            throw new IllegalStateException("a Spark task failed: " + e.getCause(), e.getCause());
        }
        List<PointResult> results = new ArrayList<>();
        for (SweepPoint p : sweep.points()) {
            results.add(done.get(p));
        }
        sweep.writeTable(results);
        return results;
    }

    /** One point on an executor: the local sweep's function in a temporary folder, whose files go back. */
    static SparkEngine.Shipped<PointResult> task(SweepPoint p) {
        Path tmp = SparkEngine.taskDir("pdediff-sweep-");
        try {
            Path dir = tmp.resolve(p.id());
            PointResult r = SweepPoints.run(p, dir);
            return new SparkEngine.Shipped<>(r, SparkEngine.pack(dir));
        } finally {
            SparkEngine.removeTree(tmp);
        }
    }
}
