package org.pdediff.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.OutputSet;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pdediff merge}: puts the shards of one {@code pdediff sample} run ({@code --shard I/N}) back together. The
 * shards' run records must agree on everything but the shard, timings and counters, and the shards must tile the
 * particles {@code 0 .. n − 1} exactly once; the merged folder then holds the files of the unsharded run:
 * {@code samples.csv} and the trajectories byte for byte (the shards' rows concatenated in index order), the plot
 * redrawn from them, and a {@code run.json} with the unsharded run's keys (NFE and steps: the maximum over shards,
 * rejected steps: the sum, wall time: the sum, start: the earliest) plus {@code merged_shards}.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Merge the shard folders of 'pdediff sample --shard I/N' into one folder identical to the unsharded run;"
                + " writes DIR/samples.csv, DIR/run.json, DIR/samples.png (and the trajectories).")
public final class MergeCommand implements Callable<Integer> {
    /** Keys that legitimately differ between shards (timings, the JVM, per-shard counters). */
    private static final Set<String> PER_SHARD = Set.of("started", "wall_s", "java", "nfe", "steps_taken", "rejected");

    @Parameters(arity = "1..*", paramLabel = "SHARD_DIR", description = "The shard folders (any order).")
    List<Path> shards;

    @Mixin
    SharedOptions.OutDir out;

    @Mixin
    SharedOptions.JsonOutput json;

    @Override
    public Integer call() {
        List<Piece> pieces = read(shards);
        Piece first = pieces.get(0);
        JsonNode params = first.record.get("parameters");
        int n = params.get("n").asInt();
        try (OutputSet set = OutputSet.open(out.value, shards.toArray(new Path[0]))) {
            Path dir = set.dir();
            concatenate(pieces, "samples.csv", dir);
            List<String> trajectories = new ArrayList<>();
            JsonNode traj = first.record.get("trajectory");
            if (traj != null) {
                for (JsonNode t : traj) {
                    trajectories.add(t.get("file").asText());
                }
            }
            for (String f : trajectories) {
                concatenate(pieces, f, dir);
            }
            SampleCommand.writePlot(dir.resolve("samples.png"), DataSets.parse(params.get("data").asText()),
                    Csv.read(dir.resolve("samples.csv")), params.get("sampler").asText() + ", " + params.get("sde").asText());
            Json.write(dir.resolve("run.json"), mergedRecord(pieces));
            set.commit();
        }
        if (json.value) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("out", out.value.toString());
            summary.put("n", n);
            summary.put("shards", pieces.size());
            System.out.println(Json.compact(summary));
        } else {
            System.err.printf("merged %d shards (%d samples) into %s%n", pieces.size(), n, out.value);
        }
        return 0;
    }

    /** One shard folder and its run record. */
    private record Piece(Path dir, ObjectNode record, int index, int count, int from, int to) {
    }

    /** Reads and checks the shards; returns them in index order. Nothing is written before this succeeds. */
    static List<Piece> read(List<Path> dirs) {
        List<Piece> pieces = new ArrayList<>();
        for (Path d : dirs) {
            pieces.add(piece(d));
        }
        pieces.sort((a, b) -> Integer.compare(a.index, b.index));
        Piece first = pieces.get(0);
        JsonNode reference = comparable(first.record);
        for (Piece p : pieces) {
            if (p.count != first.count) {
                throw new InvalidInputException("merge: shards of different splits: " + first.dir + " is one of " + first.count
                        + ", " + p.dir + " one of " + p.count);
            }
            String diff = firstDifference("", reference, comparable(p.record));
            if (diff != null) {
                throw new InvalidInputException("merge: " + first.dir + " and " + p.dir + " are not shards of one run: they differ in " + diff);
            }
        }
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < first.count; i++) {
            missing.add(i);
        }
        for (int k = 0; k < pieces.size(); k++) {
            Piece p = pieces.get(k);
            if (k > 0 && pieces.get(k - 1).index == p.index) {
                throw new InvalidInputException("merge: shard " + p.index + "/" + p.count + " is given twice (" + pieces.get(k - 1).dir + ", " + p.dir + ")");
            }
            missing.remove(p.index);
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("merge: the shards do not tile the run: shard" + (missing.size() > 1 ? "s " : " ")
                    + joinShards(missing, first.count) + " missing");
        }
        requireTiling(pieces, first);
        return pieces;
    }

    /** One shard folder: its run record must be that of a {@code pdediff sample --shard I/N} run. */
    private static Piece piece(Path d) {
        Path run = d.resolve("run.json");
        if (!Files.isRegularFile(run)) {
            throw new InvalidInputException("merge: " + d + " holds no run.json; give the folders written by 'pdediff sample --shard I/N'");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(run.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("merge: " + run + " is not a valid run record (" + Main.oneLine(e.getMessage()) + ")");
        }
        if (node == null || !node.isObject() || !"sample".equals(node.path("command").asText())) {
            throw new InvalidInputException("merge: " + run + " is not the record of a 'pdediff sample' run");
        }
        JsonNode s = node.path("parameters").path(ShardOption.KEY);
        if (!s.isObject() || !node.path("parameters").path("n").canConvertToInt()) {
            throw new InvalidInputException("merge: " + d + " is not a shard (its run was not given --shard I/N)");
        }
        return new Piece(d, (ObjectNode) node, s.path("index").asInt(), s.path("count").asInt(),
                s.path("from").asInt(), s.path("to").asInt());
    }

    /** The shards' particle ranges follow one another from 0 to n, and every shard holds all its rows. */
    private static void requireTiling(List<Piece> pieces, Piece first) {
        int n = first.record.get("parameters").get("n").asInt();
        int expected = 0;
        for (Piece p : pieces) {
            if (p.from != expected || p.to <= p.from) {
                throw new InvalidInputException("merge: shard " + p.index + "/" + p.count + " holds particles [" + p.from + ", " + p.to
                        + "), expected to start at " + expected);
            }
            expected = p.to;
        }
        if (expected != n) {
            throw new InvalidInputException("merge: the shards end at particle " + expected + " but the run has n = " + n);
        }
        for (Piece p : pieces) {
            requireRows(p, "samples.csv");
            JsonNode traj = p.record.get("trajectory");
            if (traj != null) {
                for (JsonNode t : traj) {
                    requireRows(p, t.path("file").asText());
                }
            }
        }
    }

    private static String joinShards(Set<Integer> idx, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            sb.append(sb.length() > 0 ? ", " : "").append(i).append('/').append(count);
        }
        return sb.toString();
    }

    /** The record without what may differ between the shards of one run. */
    private static JsonNode comparable(ObjectNode record) {
        ObjectNode c = record.deepCopy();
        c.remove(PER_SHARD);
        if (c.get("parameters") instanceof ObjectNode p) {
            p.remove(ShardOption.KEY);
        }
        return c;
    }

    /** The first key path where {@code a} and {@code b} differ, with both values; null when equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new java.util.LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = path.isEmpty() ? k : path + "." + k;
                JsonNode x = a.get(k);
                JsonNode y = b.get(k);
                if (x == null || y == null) {
                    return p + " (" + (x == null ? "absent" : Json.compact(x)) + " vs " + (y == null ? "absent" : Json.compact(y)) + ")";
                }
                String d = firstDifference(p, x, y);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return a.equals(b) ? null : path + " (" + Json.compact(a) + " vs " + Json.compact(b) + ")";
    }

    /** A shard's CSV exists and holds one row per particle of its range. */
    private static void requireRows(Piece p, String name) {
        Path f = p.dir.resolve(name);
        if (name.isEmpty() || name.contains("/") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("merge: shard " + p.dir + " lacks its file " + name);
        }
        long lines;
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            lines = r.lines().count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException("merge: cannot read " + f + ": " + Main.oneLine(e.getMessage()));
        }
        if (lines - 1 != p.to - p.from) {
            throw new InvalidInputException("merge: " + f + " holds " + (lines - 1) + " rows, but shard " + p.index + "/" + p.count
                    + " has " + (p.to - p.from) + " particles (a damaged or half-copied shard?)");
        }
    }

    /** The shards' files {@code name} concatenated: the first one whole, then every other without its header line. */
    private static void concatenate(List<Piece> pieces, String name, Path dir) {
        String header = null;
        for (Piece p : pieces) {
            String h = firstLine(p.dir.resolve(name));
            if (header != null && !header.equals(h)) {
                throw new InvalidInputException("merge: " + p.dir.resolve(name) + " has the header '" + h + "', expected '" + header + "'");
            }
            header = h;
        }
        AtomicFiles.write(dir.resolve(name), o -> {
            boolean firstPiece = true;
            for (Piece p : pieces) {
                try (InputStream in = Files.newInputStream(p.dir.resolve(name))) {
                    if (!firstPiece) {
                        int c;
                        while ((c = in.read()) != -1 && c != '\n') {
                            // skip the header line
                        }
                    }
                    in.transferTo(o);
                }
                firstPiece = false;
            }
        });
    }

    private static String firstLine(Path f) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String l = r.readLine();
            return l == null ? "" : l;
        } catch (IOException e) {
            throw new InvalidInputException("merge: cannot read " + f + ": " + Main.oneLine(e.getMessage()));
        }
    }

    /** The unsharded run's record: shard 0's, without the shard, with counters combined over the shards. */
    private static ObjectNode mergedRecord(List<Piece> pieces) {
        ObjectNode m = pieces.get(0).record.deepCopy();
        ((ObjectNode) m.get("parameters")).remove(ShardOption.KEY);
        long nfe = 0;
        long steps = 0;
        long rejected = 0;
        double wall = 0;
        Instant started = null;
        for (Piece p : pieces) {
            nfe = Math.max(nfe, p.record.path("nfe").asLong());
            steps = Math.max(steps, p.record.path("steps_taken").asLong());
            rejected += p.record.path("rejected").asLong();
            wall += p.record.path("wall_s").asDouble();
            try {
                Instant s = Instant.parse(p.record.path("started").asText());
                started = started == null || s.isBefore(started) ? s : started;
            } catch (java.time.format.DateTimeParseException ignored) {
                // no start time: keep the others
            }
        }
        if (started != null) {
            m.put("started", started.toString());
        }
        replaceNumber(m, "nfe", nfe);
        replaceNumber(m, "steps_taken", steps);
        replaceNumber(m, "rejected", rejected);
        m.put("wall_s", Math.round(wall * 1e4) / 1e4);
        m.put("merged_shards", pieces.size());
        return m;
    }

    /** Sets a counter, as an int where the unsharded run writes an int. */
    private static void replaceNumber(ObjectNode m, String key, long v) {
        if (m.has(key)) {
            if (m.get(key).isInt() && v == (int) v) {
                m.put(key, (int) v);
            } else {
                m.put(key, v);
            }
        }
    }
}
