package org.pdediff.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provenance of one run, written as {@code run.json} beside every artefact: the command, all parameters, the seed,
 * the pdediff version, the data hash, the wall time and any counters (such as NFE). Keys keep insertion order.
 */
public final class RunRecord {
    private final Map<String, Object> map = new LinkedHashMap<>();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    public RunRecord(String command) {
        map.put("command", command);
        map.put("version", Version.VALUE);
        map.put("started", Instant.now().toString());
        map.put("java", System.getProperty("java.version"));
        map.put("parameters", params);
    }

    /** Records a parameter (modified: the receiver). */
    public RunRecord param(String key, Object value) {
        params.put(key, value);
        return this;
    }

    /** Records a top-level entry such as {@code seed}, {@code data_hash}, {@code nfe} (modified: the receiver). */
    public RunRecord put(String key, Object value) {
        map.put(key, value);
        return this;
    }

    /**
     * Records each top-level property of a value's JSON form (e.g. each component of a result record, in order) as a
     * top-level entry (modified: the receiver).
     */
    public RunRecord putAll(Object value) {
        Json.MAPPER.<JsonNode>valueToTree(value).properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return this;
    }

    /** Seconds since this record was created. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) * 1e-9;
    }

    /** The record as an ordered map, with {@code wall_s} set to the time elapsed so far. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(map);
        out.putIfAbsent("wall_s", Math.round(elapsedSeconds() * 1e4) / 1e4);
        return out;
    }

    /** Writes {@code run.json} into {@code dir} atomically. */
    public void writeTo(java.nio.file.Path dir) {
        Json.write(dir.resolve("run.json"), toMap());
    }

    /** Writes the record to {@code file} atomically (e.g. a per-model {@code STEM.run.json}). */
    public void writeFile(java.nio.file.Path file) {
        Json.write(file, toMap());
    }
}
