package org.pdediff.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.Spec;

/**
 * A data set specification as a value, beside the string parser {@link DataSets#parse}: {@code NAME[:key=value,...]}
 * with typed edits instead of string surgery, e.g. {@code DataSpec.parse("moons").with("n", 2000).withDefault("seed", 0)}
 * is {@code moons:n=2000,seed=0}. For {@code file:} specs the text after the colon is kept verbatim ({@link #rest})
 * and keys are appended after it (as {@code file:PATH,n=…}, which the file reader accepts).
 *
 * @param name   the lower-cased name ({@code moons}, {@code file}, …)
 * @param rest   the verbatim text of a {@code file:} spec (empty otherwise)
 * @param params the key=value options, in order
 */
public record DataSpec(String name, String rest, Map<String, String> params) {
    public DataSpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Parses {@code NAME[:key=value,...]} (malformed: {@link org.pdediff.core.InvalidInputException}). */
    public static DataSpec parse(String text) {
        Spec s = Spec.parse(text);
        boolean verbatim = s.name().equals("file") || s.name().equals("model");
        return new DataSpec(s.name(), verbatim ? s.rest().strip() : "", verbatim ? Map.of() : s.params());
    }

    /** The spec with {@code key} set to {@code value} (added or replaced). */
    public DataSpec with(String key, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, String.valueOf(value));
        return new DataSpec(name, rest, p);
    }

    /** The spec with {@code key} added; {@link org.pdediff.core.InvalidInputException} if it is given already. */
    public DataSpec adding(String key, Object value) {
        if (params.containsKey(key)) {
            throw new org.pdediff.core.InvalidInputException("specification '" + this + "': key '" + key + "' given twice");
        }
        return with(key, value);
    }

    /** The spec with {@code key} set to {@code value} unless it is given already. */
    public DataSpec withDefault(String key, Object value) {
        return params.containsKey(key) ? this : with(key, value);
    }

    /** The spec with {@code key} replaced by {@code value} where it is given (unchanged otherwise). */
    public DataSpec replacing(String key, Object value) {
        return params.containsKey(key) ? with(key, value) : this;
    }

    /** Whether {@code key} is given. */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** The data set (as {@link DataSets#parse} of {@link #toString()}). */
    public DataSet load() {
        return DataSets.parse(toString());
    }

    /** The spec text {@code NAME[:rest][,key=value...]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        String sep = ":";
        if (!rest.isEmpty()) {
            b.append(':').append(rest);
            sep = ",";
        }
        for (var e : params.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return b.toString();
    }
}
