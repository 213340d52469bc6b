package org.pdediff.experiment;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Turns typed results into the maps and lists written as JSON: a record becomes an object whose keys are its
 * component names in snake case ({@code meanNearestDist} → {@code mean_nearest_dist}; a leading capital stays, so
 * {@code N} is {@code N}) or the name given by {@link Key}, in declaration order. An empty {@link Optional} or
 * {@link OptionalDouble} or {@link OptionalInt} component is left out; a null one is written as null; an
 * {@link Inline} component's keys are merged into the enclosing object.
 */
public final class ResultJson {
    private ResultJson() {
    }

    /** The JSON key of a record component when snake case of its name is not the key. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Key {
        String value();
    }

    /** A record (or map) component whose own keys are written into the enclosing object (an empty Optional: none). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Inline {
    }

    /** {@code camelCase} → {@code camel_case}; capitals at the start stay as they are. */
    static String snake(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
                b.append('_').append(Character.toLowerCase(c));
            } else if (Character.isUpperCase(c) && i > 0) {
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The JSON object of a record. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                v = accessor.invoke(r);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
            if ((v instanceof Optional<?> o && o.isEmpty()) || (v instanceof OptionalDouble od && od.isEmpty())
                    || (v instanceof OptionalInt oi && oi.isEmpty())) {
                continue;
            }
            if (c.isAnnotationPresent(Inline.class)) {
                Object inner = v instanceof Optional<?> o ? o.orElseThrow() : v;
                m.putAll(inner instanceof Record r2 ? object(r2) : (Map<String, Object>) value(inner));
                continue;
            }
            Key k = c.getAnnotation(Key.class);
            m.put(k != null ? k.value() : snake(c.getName()), value(v));
        }
        return m;
    }

    /** A value as JSON: records become objects, collections lists and maps maps (recursively); the rest as is. */
    public static Object value(Object v) {
        if (v instanceof Record r) {
            return object(r);
        }
        if (v instanceof Optional<?> o) {
            return o.map(ResultJson::value).orElse(null);
        }
        if (v instanceof OptionalDouble od) {
            return od.isPresent() ? od.getAsDouble() : null;
        }
        if (v instanceof OptionalInt oi) {
            return oi.isPresent() ? oi.getAsInt() : null;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, val) -> out.put(String.valueOf(key), value(val)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(value(x)));
            return out;
        }
        return v;
    }
}
