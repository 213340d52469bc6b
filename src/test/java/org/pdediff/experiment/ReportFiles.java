package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pdediff.core.Json;

/** Checks on an experiment's output folder shared by the experiment tests. */
final class ReportFiles {
    private ReportFiles() {
    }

    /** report.html exists, every image it references exists and is a non-trivial PNG; JSON files parse. */
    static JsonNode check(Path dir, String experiment) throws Exception {
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(Files.readString(dir.resolve("report.md"))).isNotBlank();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            Path img = dir.resolve(m.group(1));
            assertThat(img).as("image referenced by report.html").exists();
            byte[] head = Files.readAllBytes(img);
            assertThat(head.length).isGreaterThan(1000);
            assertThat(head[1]).isEqualTo((byte) 'P');
            images++;
        }
        assertThat(images).as("report.html shows at least one plot").isPositive();
        JsonNode results = Json.MAPPER.readTree(dir.resolve("results.json").toFile());
        assertThat(results.get("experiment").asText()).isEqualTo(experiment);
        assertThat(results.has("claim_holds")).isTrue();
        JsonNode run = Json.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertThat(run.get("command").asText()).isEqualTo("experiment " + experiment);
        assertThat(run.has("seed")).isTrue();
        return results;
    }
}
