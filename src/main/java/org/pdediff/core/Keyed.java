package org.pdediff.core;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * An enum named on the command line, in specs and in checkpoints by one key per constant (by default its lower-case
 * name); {@link #parse} reads a key back, ignoring case and surrounding space. One home for the parse-from-string code
 * of every such enum.
 */
public interface Keyed {
    /** The constant's name (supplied by {@link Enum#name()}). */
    String name();

    /** The key as written on the command line and in specs: the lower-case name unless the enum says otherwise. */
    default String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose key is {@code text} (ignoring case and surrounding space), or null. */
    static <E extends Enum<E> & Keyed> E find(Class<E> type, String text) {
        String s = text.strip();
        for (E e : type.getEnumConstants()) {
            if (e.key().equalsIgnoreCase(s)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The constant whose key is {@code text}; else {@link InvalidInputException} "unknown WHAT 'text' (known: k₁, k₂,
     * …)".
     */
    static <E extends Enum<E> & Keyed> E parse(Class<E> type, String text, String what) {
        E e = find(type, text);
        if (e == null) {
            throw new InvalidInputException("unknown " + what + " '" + text + "' (known: " + keys(type) + ")");
        }
        return e;
    }

    /** The keys in declaration order, comma-separated. */
    static <E extends Enum<E> & Keyed> String keys(Class<E> type) {
        StringJoiner j = new StringJoiner(", ");
        for (E e : type.getEnumConstants()) {
            j.add(e.key());
        }
        return j.toString();
    }
}
