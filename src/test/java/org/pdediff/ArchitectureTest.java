package org.pdediff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Package arrows point down only (README, "Packages"): every reference from one top-level package of
 * {@code org.pdediff} to another, by import or by qualified name in code (comments and strings stripped), must be in
 * the allowed set below. Sub-packages belong to their top-level package ({@code score.torchscript} is {@code score}).
 * The tensor engine (DJL) may only be named by score, train and cli.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of("src/main/java/org/pdediff");

    /**
     * Who may use whom: cli → (experiment, sweep) → (sample, pde, metrics, train, report) → score → (sde, data) → core;
     * nn under train.
     */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("core", Set.of()),
            Map.entry("sde", Set.of("core")),
            Map.entry("data", Set.of("core")),
            Map.entry("nn", Set.of("core")),
            Map.entry("score", Set.of("core", "sde", "data", "nn")),
            Map.entry("sample", Set.of("core", "sde", "data", "score")),
            Map.entry("pde", Set.of("core", "sde", "data", "score")),
            Map.entry("metrics", Set.of("core", "sde", "data", "score")),
            Map.entry("report", Set.of("core", "sde", "data", "score")),
            Map.entry("train", Set.of("core", "sde", "data", "score", "nn")),
            Map.entry("experiment", Set.of("core", "sde", "data", "score", "nn", "sample", "pde", "metrics", "report", "train")),
            Map.entry("sweep", Set.of("core", "sde", "data", "score", "nn", "sample", "pde", "metrics", "report", "train")),
            Map.entry("cli", Set.of("core", "sde", "data", "score", "nn", "sample", "pde", "metrics", "report", "train", "experiment",
                    "sweep")));

    static final Set<String> DJL_USERS = Set.of("score", "train", "cli");

    private static final Pattern REF = Pattern.compile("\\borg\\.pdediff\\.([a-z]+)\\b");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);

    static String code(Path file) throws IOException {
        Matcher m = COMMENTS_AND_STRINGS.matcher(Files.readString(file));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, m.group().startsWith("\"") || m.group().startsWith("'") ? "\"\"" : " ");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String topPackage(Path file) {
        return MAIN.relativize(file).getName(0).toString();
    }

    @Test
    void everyTopLevelPackageIsInTheLayerMap() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        }
    }

    @Test
    void packageArrowsPointDownOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = topPackage(f);
                String code = code(f);
                Matcher m = REF.matcher(code);
                while (m.find()) {
                    String to = m.group(1);
                    seen.add(from + "->" + to);
                    if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
                        violations.add(MAIN.relativize(f) + ": " + from + " -> " + to);
                    }
                }
                if (!DJL_USERS.contains(from) && code.contains("ai.djl.")) {
                    violations.add(MAIN.relativize(f) + ": " + from + " names the tensor engine (ai.djl)");
                }
            }
        }
        assertThat(violations).as("arrows seen: %s", seen).isEmpty();
    }

    @Test
    void theScannerSeesQualifiedNamesAndIgnoresComments() throws IOException {
        Path tmp = Files.createTempFile("Arch", ".java");
        try {
            Files.writeString(tmp, "/** {@link org.pdediff.cli.Main} */ class A { // org.pdediff.cli.X\n"
                    + " String s = \"org.pdediff.cli.Y\"; Object o = org.pdediff.report.Z.of(); }");
            Matcher m = REF.matcher(code(tmp));
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            assertThat(found).containsExactly("report");
        } finally {
            Files.delete(tmp);
        }
    }
}
