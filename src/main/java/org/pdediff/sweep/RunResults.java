package org.pdediff.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.Json;

/**
 * The key numbers of one run folder, for a sweep's table: the numbers and booleans of {@code results.json} (an
 * experiment), else of the {@code results} object of {@code run.json} (train), else the top-level counters of
 * {@code run.json} (sample: nfe, steps_taken, rejected). Objects are flattened one level ({@code a.b}); lists and
 * strings are left out, and so are the run's parameters (the table has them), timings ({@code started}, {@code seconds}, {@code *_seconds}, {@code *_s}) and the
 * seed, which differ between machines or repeat a parameter. Numbers keep their JSON form (an int stays an int).
 */
public final class RunResults {
    private RunResults() {
    }

    /** The key numbers of the run in {@code dir} (empty when it wrote no record). */
    public static Map<String, Object> of(Path dir) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode results = read(dir.resolve("results.json"));
        if (results == null) {
            JsonNode run = read(dir.resolve("run.json"));
            if (run == null) {
                return out;
            }
            results = run.has("results") && run.get("results").isObject() ? run.get("results") : run;
        }
        collect("", results, out, 0);
        return out;
    }

    private static JsonNode read(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(f.toFile());
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void collect(String prefix, JsonNode node, Map<String, Object> out, int depth) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (timing(k) || (depth == 0 && (k.equals("seed") || (k.equals("parameters") && v.isObject())))) {
                continue;
            }
            if (v.isIntegralNumber()) {
                out.put(prefix + k, v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue());
            } else if (v.isNumber()) {
                out.put(prefix + k, v.doubleValue());
            } else if (v.isBoolean()) {
                out.put(prefix + k, v.booleanValue());
            } else if (v.isObject() && depth == 0) {
                collect(prefix + k + ".", v, out, depth + 1);
            }
        }
    }

    private static boolean timing(String k) {
        return k.equals("started") || k.equals("seconds") || k.endsWith("_seconds") || k.endsWith("_s");
    }
}
