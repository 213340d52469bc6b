package org.pdediff.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep: its index and folder name, the full command line without {@code --out}, and its grid values.
 *
 * @param index  position in the grid (the last flag varying fastest)
 * @param id     the point's folder name under {@code runs/}, e.g. {@code p0007}
 * @param model  whether {@code --out} names a model file ({@code train}) rather than a folder
 * @param argv   the command line without {@code --out}
 * @param values the grid flags and their values ({@link String} or {@link Boolean})
 */
public record SweepPoint(int index, String id, boolean model, List<String> argv, Map<String, Object> values) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The model file a {@code train} point writes in its folder. */
    public static final String MODEL_FILE = "model.pdm";

    public SweepPoint {
        argv = List.copyOf(argv);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The command line that writes this point into {@code dir} (a folder, or {@code dir/model.pdm} for train). */
    public String[] args(Path dir) {
        List<String> a = new ArrayList<>(argv);
        a.add("--out");
        a.add((model ? dir.resolve(MODEL_FILE) : dir).toString());
        return a.toArray(new String[0]);
    }
}
