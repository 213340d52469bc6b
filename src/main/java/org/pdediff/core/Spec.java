package org.pdediff.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A parsed specification string {@code NAME[:key=value,...]}, as used for data sets ({@code moons:n=2000,noise=0.05}),
 * SDEs ({@code vp:bmin=0.1,bmax=20}) and scores. The name is lower-cased; keys are case-sensitive.
 *
 * <p>Typed getters record which keys were read; {@link #requireAllUsed(String...)} then rejects any key nobody read,
 * so that a misspelt key is an error instead of being silently ignored. The special name {@code file} keeps the rest
 * of the string verbatim as {@link #rest()} (a path may contain ':' or ',').
 */
public final class Spec {
    private final String text;
    private final String name;
    private final String rest;
    private final Map<String, String> params;
    private final Set<String> used = new LinkedHashSet<>();

    private Spec(String text, String name, String rest, Map<String, String> params) {
        this.text = text;
        this.name = name;
        this.rest = rest;
        this.params = params;
    }

    /** Parses {@code NAME[:key=value,...]}; throws {@link InvalidInputException} when malformed. */
    public static Spec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("empty specification");
        }
        String s = text.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(java.util.Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        if (name.isEmpty()) {
            throw new InvalidInputException("specification '" + text + "' has no name before ':'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!name.equals("file") && !name.equals("model") && !rest.isBlank()) {
            for (String part : rest.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidInputException("specification '" + text + "': expected key=value, got '" + part.strip() + "'");
                }
                String k = part.substring(0, eq).strip();
                String v = part.substring(eq + 1).strip();
                if (params.put(k, v) != null) {
                    throw new InvalidInputException("specification '" + text + "': key '" + k + "' given twice");
                }
            }
        }
        return new Spec(s, name, rest, Collections.unmodifiableMap(params));
    }

    public String name() {
        return name;
    }

    /** Everything after the first ':' (verbatim). */
    public String rest() {
        return rest;
    }

    public Map<String, String> params() {
        return params;
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    public double getDouble(String key, double dflt) {
        return parsed(key, dflt, Spec::finiteDouble, "a finite number");
    }

    public int getInt(String key, int dflt) {
        return parsed(key, dflt, Integer::parseInt, "an integer");
    }

    public long getLong(String key, long dflt) {
        return parsed(key, dflt, Long::parseLong, "an integer");
    }

    /**
     * The value of {@code key} read by {@code parse}, or {@code dflt} when the spec does not give it (either way the key
     * counts as used); a {@link NumberFormatException} becomes "NAME: key=value is not WHAT".
     */
    private <T> T parsed(String key, T dflt, java.util.function.Function<String, T> parse, String what) {
        used.add(key);
        String v = params.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + ": " + key + "=" + v + " is not " + what);
        }
    }

    private static double finiteDouble(String v) {
        double x = Double.parseDouble(v);
        if (!Double.isFinite(x)) {
            throw new NumberFormatException();
        }
        return x;
    }

    public String getString(String key, String dflt) {
        used.add(key);
        return params.getOrDefault(key, dflt);
    }

    /** A double that must be strictly positive. */
    public double getPositive(String key, double dflt) {
        double v = getDouble(key, dflt);
        if (!(v > 0)) {
            throw new InvalidInputException(name + ": " + key + " must be > 0, got " + v);
        }
        return v;
    }

    /** An int that must be at least {@code min}. */
    public int getIntAtLeast(String key, int dflt, int min) {
        int v = getInt(key, dflt);
        if (v < min) {
            throw new InvalidInputException(name + ": " + key + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    /**
     * Throws {@link InvalidInputException} if a key was given that no getter read.
     *
     * @param kind what the spec is ("data set", "SDE") for the message
     */
    public void requireAllUsed(String kind) {
        for (String k : params.keySet()) {
            if (!used.contains(k)) {
                throw new InvalidInputException("unknown key '" + k + "' for " + kind + " '" + name + "'");
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
