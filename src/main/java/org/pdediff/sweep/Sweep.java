package org.pdediff.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.ProgressListener;

/**
 * A sweep's folder, and its local execution.
 *
 * <pre>
 * OUT/sweep-spec.json          the spec (a resumed sweep must have the same one)
 * OUT/runs/p0000/ ...          one run per point (a train point writes runs/p0000/model.pdm and its companions)
 * OUT/runs/p0000/sweep-point.json   written after the run succeeded: marks the point complete (with its result)
 * OUT/sweep.csv, sweep.json    the table: one row per point, its grid values and key numbers ({@link RunResults})
 * OUT/index.html               the table with a link to each run's report
 * </pre>
 * A point is complete when its folder holds a {@code run.json} and a {@code sweep-point.json} with the same command
 * line; complete points are not run again, so an interrupted sweep resumes where it stopped. Points run through a
 * {@link Runner}: locally one after the other ({@link #runAll}), or anywhere else (the Spark module) with the results
 * handed back to {@link #complete} and {@link #writeTable}. The table depends only on the points' results, so it is
 * the same wherever the points ran.
 */
public final class Sweep {
    /** The spec as the sweep saw it. */
    public static final String SPEC_FILE = "sweep-spec.json";
    /** A point's completion mark. */
    public static final String MARKER = "sweep-point.json";
    /** The folder of the points' runs. */
    public static final String RUNS = "runs";

    /** Runs one point into a folder and returns its result (never throws for a failed run: the result says so). */
    @FunctionalInterface
    public interface Runner {
        PointResult run(SweepPoint point, Path dir);
    }

    private final SweepSpec spec;
    private final Path out;
    private final List<SweepPoint> points;

    private Sweep(SweepSpec spec, Path out) {
        this.spec = spec;
        this.out = out;
        this.points = spec.points();
    }

    /**
     * Opens the sweep folder {@code out}: a new or empty folder, or the folder of an earlier run of the same spec
     * (resumed). Anything else is an {@link InvalidInputException}, and nothing is created.
     */
    public static Sweep open(SweepSpec spec, Path out) {
        Path dir = out.toAbsolutePath().normalize();
        Map<String, Object> mine = spec.toMap();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("sweep folder " + out + " exists and is not a folder");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
            Path saved = dir.resolve(SPEC_FILE);
            if (!Files.isRegularFile(saved)) {
                throw new InvalidInputException("sweep folder " + out + " is not empty and holds no " + SPEC_FILE
                        + "; give a new or empty folder, or the folder of an interrupted sweep to resume it");
            }
            try {
                JsonNode old = Json.MAPPER.readTree(saved.toFile());
                if (!Json.MAPPER.valueToTree(mine).equals(old)) {
                    throw new InvalidInputException("sweep folder " + out + " holds a sweep of another spec (" + SPEC_FILE
                            + " differs); give a new folder, or the same spec to resume it");
                }
            } catch (IOException e) {
                throw new InvalidInputException("sweep folder " + out + ": cannot read " + SPEC_FILE + " (" + e.getMessage() + ")");
            }
        }
        try {
            Files.createDirectories(dir.resolve(RUNS));
        } catch (IOException e) {
            throw new InvalidInputException("cannot create sweep folder " + out + ": " + e.getMessage());
        }
        Json.write(dir.resolve(SPEC_FILE), mine);
        return new Sweep(spec, dir);
    }

    /** The spec. */
    public SweepSpec spec() {
        return spec;
    }

    /** The sweep folder (absolute). */
    public Path dir() {
        return out;
    }

    /** All points, in grid order. */
    public List<SweepPoint> points() {
        return points;
    }

    /** The run folder of a point. */
    public Path dir(SweepPoint p) {
        return out.resolve(RUNS).resolve(p.id());
    }

    /** The recorded result of a complete point, or null when the point has still to run. */
    public PointResult completed(SweepPoint p) {
        Path d = dir(p);
        Path mark = d.resolve(MARKER);
        if (!Files.isRegularFile(mark) || !Files.isRegularFile(d.resolve("run.json"))) {
            return null;
        }
        try {
            JsonNode m = Json.MAPPER.readTree(mark.toFile());
            if (m == null || !m.path("complete").asBoolean(false) || !Json.MAPPER.valueToTree(p.argv()).equals(m.get("argv"))) {
                return null;
            }
            Map<String, Object> results = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("results").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                results.put(e.getKey(), v.isIntegralNumber() ? (Object) v.longValue() : v.isNumber() ? (Object) v.doubleValue() : (Object) v.booleanValue());
            }
            return new PointResult(p.id(), 0, "", results);
        } catch (IOException e) {
            return null;
        }
    }

    /** Marks a point complete (after its run succeeded); a failed point is left to run again. */
    public void complete(SweepPoint p, PointResult r) {
        if (!r.ok()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("complete", true);
        m.put("point", p.id());
        m.put("argv", p.argv());
        m.put("values", p.values());
        m.put("results", r.results());
        Json.write(dir(p).resolve(MARKER), m);
    }

    /**
     * Runs every point that is not complete, one after the other, marks each complete, and writes the table; returns
     * the results in grid order. {@code listener} hears (points done, points in all, point id).
     */
    public List<PointResult> runAll(Runner runner, ProgressListener listener) {
        List<PointResult> results = new ArrayList<>();
        for (SweepPoint p : points) {
            PointResult r = completed(p);
            if (r == null) {
                r = runner.run(p, dir(p));
                complete(p, r);
            }
            results.add(r);
            listener.progress(results.size(), points.size(), p.id());
        }
        writeTable(results);
        return results;
    }

    /** Writes sweep.csv, sweep.json and index.html for the results of every point (in grid order). */
    public void writeTable(List<PointResult> results) {
        if (results.size() != points.size()) {
            throw new IllegalArgumentException("one result per point expected: " + results.size() + " for " + points.size());
        }
        SweepTable.write(this, results);
    }

    /** The names of the files in a point's folder, sorted (for the index's links). */
    List<String> files(SweepPoint p) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(p))) {
            for (Path f : ds) {
                if (Files.isRegularFile(f)) {
                    names.add(f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes a text file atomically (for {@link SweepTable}). */
    static void writeString(Path f, String s) {
        AtomicFiles.writeString(f, s);
    }
}
