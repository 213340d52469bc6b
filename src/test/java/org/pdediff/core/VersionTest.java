package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void versionConstantMatchesThePom() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<artifactId>pdediff</artifactId>\n  <version>" + Version.VALUE + "</version>");
    }
}
