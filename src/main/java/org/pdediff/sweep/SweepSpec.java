package org.pdediff.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;

/**
 * A sweep: one pdediff command, fixed arguments, and a grid of flag values whose Cartesian product gives the points.
 *
 * <pre>{@code
 * {
 *   "command": "sample",                         // or "train", or "experiment NAME"
 *   "args": {"--data": "gmm:n=200", "--steps": 20, "--final-denoise": true},
 *   "grid": {"--seed": [0, 1, 2], "--sampler": ["em", "heun"]},
 *   "description": "optional free text"
 * }
 * }</pre>
 * Values are strings, numbers (passed as their JSON text) or booleans (true: the flag alone; false: left out). Flags
 * may be written with or without the leading {@code --}. {@code --out} (set per point by the sweep), {@code --json}
 * and the help flags may not appear. The points are ordered with the last grid flag varying fastest.
 *
 * @param command     the command words, e.g. {@code [sample]} or {@code [experiment, one-datum]}
 * @param args        fixed flags and their values (a {@link String} or a {@link Boolean})
 * @param grid        each grid flag's values, in spec order
 * @param description free text (may be empty)
 */
public record SweepSpec(List<String> command, Map<String, Object> args, Map<String, List<Object>> grid, String description) {
    /** The commands a sweep may run (the first word). */
    public static final Set<String> COMMANDS = Set.of("sample", "train", "experiment");
    /** The keys of a spec. */
    public static final Set<String> KEYS = Set.of("command", "args", "grid", "description");
    /** More points than this is almost surely a mistake (and the table would not fit a browser). */
    public static final int MAX_POINTS = 100_000;
    private static final Set<String> RESERVED = Set.of("--out", "--json", "--help", "-h", "--version", "-V");

    public SweepSpec {
        command = List.copyOf(command);
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        Map<String, List<Object>> g = new LinkedHashMap<>();
        grid.forEach((k, v) -> g.put(k, List.copyOf(v)));
        grid = java.util.Collections.unmodifiableMap(g);
        description = description == null ? "" : description;
    }

    /** Reads a spec file; every problem is an {@link InvalidInputException} naming the file. */
    public static SweepSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("sweep spec " + file + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read sweep spec " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses spec text; {@code name} is used in messages. */
    public static SweepSpec parse(String text, String name) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException("sweep spec " + name + " is not valid JSON: " + m);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("sweep spec " + name + " must be a JSON object with command, args and grid");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new InvalidInputException("sweep spec " + name + ": unknown key '" + k + "' (known: command, args, grid, description)");
            }
        }
        JsonNode c = root.get("command");
        if (c == null || !c.isTextual() || c.asText().isBlank()) {
            throw new InvalidInputException("sweep spec " + name + ": \"command\" must be a string: sample, train or experiment NAME");
        }
        List<String> words = List.of(c.asText().strip().split("\\s+"));
        if (!COMMANDS.contains(words.get(0)) || (words.get(0).equals("experiment") ? words.size() != 2 : words.size() != 1)) {
            throw new InvalidInputException("sweep spec " + name + ": unknown command '" + c.asText()
                    + "' (a sweep runs sample, train or experiment NAME)");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        JsonNode a = root.get("args");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new InvalidInputException("sweep spec " + name + ": \"args\" must be an object {\"--flag\": value}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                args.put(flag(name, e.getKey()), value(name, "args." + e.getKey(), e.getValue()));
            }
        }
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        JsonNode g = root.get("grid");
        if (g == null || !g.isObject() || g.isEmpty()) {
            throw new InvalidInputException("sweep spec " + name + ": \"grid\" must be a non-empty object {\"--flag\": [values]}");
        }
        long points = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = flag(name, e.getKey());
            if (args.containsKey(f) || grid.containsKey(f)) {
                throw new InvalidInputException("sweep spec " + name + ": " + f + " is given twice (in args and grid, or twice in grid)");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new InvalidInputException("sweep spec " + name + ": grid." + e.getKey() + " must be a non-empty list of values");
            }
            List<Object> vs = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                Object o = value(name, "grid." + e.getKey(), v);
                if (vs.contains(o)) {
                    throw new InvalidInputException("sweep spec " + name + ": grid." + e.getKey() + " lists " + o + " twice");
                }
                vs.add(o);
            }
            grid.put(f, vs);
            points *= vs.size();
            if (points > MAX_POINTS) {
                throw new InvalidInputException("sweep spec " + name + ": the grid has more than " + MAX_POINTS + " points");
            }
        }
        JsonNode d = root.get("description");
        if (d != null && !d.isNull() && !d.isTextual()) {
            throw new InvalidInputException("sweep spec " + name + ": \"description\" must be a string");
        }
        return new SweepSpec(words, args, grid, d == null || d.isNull() ? "" : d.asText());
    }

    private static String flag(String name, String key) {
        String f = key.strip();
        if (f.isEmpty() || f.equals("--") || f.equals("-")) {
            throw new InvalidInputException("sweep spec " + name + ": empty flag name");
        }
        if (!f.startsWith("-")) {
            f = "--" + f;
        }
        if (RESERVED.contains(f)) {
            throw new InvalidInputException("sweep spec " + name + ": " + f + " may not be set (the sweep sets --out for every point)");
        }
        return f;
    }

    private static Object value(String name, String where, JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() || v.isNumber()) {
            return v.asText();
        }
        throw new InvalidInputException("sweep spec " + name + ": " + where + " must be a string, a number or a boolean, got " + Json.compact(v));
    }

    /** The grid's points, the last flag varying fastest. */
    public List<SweepPoint> points() {
        List<String> flags = new ArrayList<>(grid.keySet());
        int total = 1;
        for (List<Object> vs : grid.values()) {
            total *= vs.size();
        }
        int width = Math.max(4, Integer.toString(total - 1).length());
        List<SweepPoint> out = new ArrayList<>(total);
        for (int p = 0; p < total; p++) {
            Map<String, Object> values = new LinkedHashMap<>();
            int rest = p;
            for (int k = flags.size() - 1; k >= 0; k--) {
                List<Object> vs = grid.get(flags.get(k));
                values.put(flags.get(k), vs.get(rest % vs.size()));
                rest /= vs.size();
            }
            Map<String, Object> ordered = new LinkedHashMap<>();
            for (String f : flags) {
                ordered.put(f, values.get(f));
            }
            List<String> argv = new ArrayList<>(command);
            appendFlags(argv, args);
            appendFlags(argv, ordered);
            out.add(new SweepPoint(p, String.format("p%0" + width + "d", p), command.get(0).equals("train"), argv, ordered));
        }
        return out;
    }

    private static void appendFlags(List<String> argv, Map<String, Object> flags) {
        flags.forEach((f, v) -> {
            if (v instanceof Boolean b) {
                if (b) {
                    argv.add(f);
                }
            } else {
                argv.add(f);
                argv.add((String) v);
            }
        });
    }

    /** The spec as JSON-ready maps (written beside the table, and compared on resume). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", String.join(" ", command));
        m.put("args", args);
        m.put("grid", grid);
        if (!description.isEmpty()) {
            m.put("description", description);
        }
        return m;
    }
}
