package org.pdediff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upper layers stay thin: no method or constructor body in {@code experiment} or {@code cli} is longer than
 * {@value #MAX_LINES} lines (README, "Packages"; a workflow that grows past that is split into named steps). A body
 * is counted from the line of its opening brace (the last line of the signature) to its closing brace, on the code
 * with comments and strings stripped ({@link ArchitectureTest#code}).
 */
class MethodLengthTest {
    static final int MAX_LINES = 80;

    /** The last line of a method or constructor signature: a declaration, not a control statement, ending in ") {". */
    private static final Pattern SIGNATURE_END = Pattern.compile(
            "^\\s*(?!(if|for|while|switch|catch|try|else|do|return|synchronized|new)\\b)[^}\\s].*\\)\\s*(throws\\s+[\\w.,\\s]+)?\\{\\s*$");
    private static final Pattern CONTROL = Pattern.compile("^\\s*(\\}\\s*)?(if|for|while|switch|catch|else|synchronized)\\b.*");

    record Body(Path file, int line, int lines) {
    }

    static List<Body> bodies(Path file) throws IOException {
        String[] lines = ArchitectureTest.code(file).split("\n", -1);
        List<Body> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!SIGNATURE_END.matcher(lines[i]).matches() || CONTROL.matcher(lines[i]).matches() || lines[i].contains("->")) {
                continue;
            }
            int depth = 0;
            int j = i;
            for (; j < lines.length; j++) {
                for (char c : lines[j].toCharArray()) {
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                }
                if (depth <= 0) {
                    break;
                }
            }
            out.add(new Body(file, i + 1, j - i + 1));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"experiment", "cli"})
    void noLongMethods(String pkg) throws IOException {
        List<Body> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ArchitectureTest.MAIN.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                all.addAll(bodies(f));
            }
        }
        assertThat(all).as("method bodies found in %s", pkg).hasSizeGreaterThan(20);
        assertThat(all.stream().filter(b -> b.lines() > MAX_LINES).toList()).as("bodies over %d lines", MAX_LINES).isEmpty();
    }
}
