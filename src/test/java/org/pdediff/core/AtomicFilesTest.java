package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesContentAndLeavesOnlyTheTarget() throws IOException {
        Path target = dir.resolve("sub/a.txt");
        AtomicFiles.writeString(target, "hello\n");
        assertThat(Files.readString(target)).isEqualTo("hello\n");
        AtomicFiles.writeString(target, "again");
        assertThat(Files.readString(target)).isEqualTo("again");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertThat(s.toList()).containsExactly(target);
        }
    }

    @Test
    void aWriterThatThrowsLeavesNeitherTargetNorTemporaryFile() throws IOException {
        Path target = dir.resolve("b.bin");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        })).isInstanceOf(InvalidInputException.class).hasMessageContaining("b.bin").hasMessageContaining("disk full");
        assertThat(listing()).isEmpty();
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new IllegalStateException("bug in the writer");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(listing()).isEmpty();
    }

    @Test
    void aFailedRewriteKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("c.txt");
        AtomicFiles.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("new but half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("interrupted");
        })).isInstanceOf(InvalidInputException.class);
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing()).containsExactly(target);
    }

    @Test
    void unwritableLocationsRaiseInvalidInput() throws IOException {
        // A regular file where a folder is needed fails even for root (permission bits would not).
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(file.resolve("inside.txt"), "y"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("inside.txt");
        assertThatThrownBy(() -> AtomicFiles.requireWritableDir(file)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> AtomicFiles.requireWritableDir(file.resolve("deeper/still")))
                .isInstanceOf(InvalidInputException.class);
        Path made = AtomicFiles.requireWritableDir(dir.resolve("new/folder"));
        assertThat(Files.isDirectory(made)).isTrue();
    }

    @Test
    void jsonAndRunRecordAreWrittenAtomicallyAndParseBack() throws IOException {
        RunRecord r = new RunRecord("sample").param("steps", 800).param("sde", "ou:theta=1,g=1,T=10").put("seed", 7L);
        r.writeTo(dir);
        JsonNode node = Json.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertThat(node.get("command").asText()).isEqualTo("sample");
        assertThat(node.get("version").asText()).isEqualTo(Version.VALUE);
        assertThat(node.get("parameters").get("steps").asInt()).isEqualTo(800);
        assertThat(node.get("parameters").get("sde").asText()).isEqualTo("ou:theta=1,g=1,T=10");
        assertThat(node.get("seed").asLong()).isEqualTo(7);
        assertThat(node.get("wall_s").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(listing()).containsExactly(dir.resolve("run.json"));
        assertThat(Json.compact(java.util.Map.of("a", 1))).isEqualTo("{\"a\":1}");
    }

    @Test
    void versionConstantMatchesThePom() throws IOException {
        // the pom's project version is the first <version> after the project's own <artifactId>pdediff</artifactId>
        String pom = Files.readString(Path.of("pom.xml"));
        int at = pom.indexOf("<artifactId>pdediff</artifactId>");
        int v = pom.indexOf("<version>", at);
        String version = pom.substring(v + "<version>".length(), pom.indexOf("</version>", v));
        assertThat(Version.VALUE).isEqualTo(version);
    }
}
