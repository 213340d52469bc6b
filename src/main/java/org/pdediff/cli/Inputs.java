package org.pdediff.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The files a run reads, named by its specs ({@code file:PATH,...}, {@code model:PATH}), so that its output set never swaps them away. */
final class Inputs {
    private Inputs() {
    }

    static Path[] of(Object... specsOrPaths) {
        List<Path> out = new ArrayList<>();
        for (Object o : specsOrPaths) {
            if (o instanceof Path p) {
                out.add(p);
            } else if (o instanceof String s) {
                String t = s.strip();
                String low = t.toLowerCase(Locale.ROOT);
                int colon = t.indexOf(':');
                if ((low.startsWith("file:") || low.startsWith("model:")) && colon > 0) {
                    String rest = t.substring(colon + 1).strip();
                    // drop trailing ,key=value options unless the whole text names a file
                    while (!Files.exists(Path.of(rest)) && rest.matches("(?s).*,\\s*[A-Za-z_]+\\s*=[^,]*")) {
                        rest = rest.substring(0, rest.lastIndexOf(','));
                    }
                    if (!rest.isBlank()) {
                        try {
                            out.add(Path.of(rest));
                        } catch (java.nio.file.InvalidPathException ignored) {
                            // reported when the spec is parsed
                        }
                    }
                }
            }
        }
        return out.toArray(new Path[0]);
    }
}
