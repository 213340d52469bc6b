package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Json;

class PdeCommandTest {
    @Test
    void forwardTwoDimensionalRunWritesDensitiesPicturesAndSummary(@TempDir Path dir) throws Exception {
        int rc = Main.execute("pde", "--data", "gmm:k=4,std=0.3,n=50", "--sde", "vp", "--grid", "48", "--times", "1,0.1",
                "--steps", "100", "--out", dir.toString());
        assertThat(rc).isZero();
        for (String f : new String[] {"density_t0.1.csv", "density_t1.csv", "heatmap_t0.1.png", "heatmap_t1.png", "summary.json", "run.json"}) {
            assertThat(dir.resolve(f)).exists();
        }
        JsonNode s = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertThat(s.get("mode").asText()).isEqualTo("forward");
        JsonNode first = s.get("times").get(0);
        assertThat(first.get("t").asDouble()).isEqualTo(0.1);
        for (String k : new String[] {"mass", "min", "l1_error", "liyau_min", "liyau_min_score", "residual_l2", "residual_weighted_l2"}) {
            assertThat(first.has(k)).as(k).isTrue();
        }
        assertThat(first.get("mass").asDouble()).isBetween(1 - 1e-9, 1 + 1e-9);
        // 48 cells on a ~12-wide box: h ≈ 0.25 against widths ≥ 0.3: a coarse but converged-looking solution
        assertThat(first.get("l1_error").asDouble()).isLessThan(0.1);
        assertThat(Files.readAllLines(dir.resolve("density_t1.csv"))).hasSize(48 * 48 + 1);
    }

    @Test
    void reverseOneDimensionalRunWithJsonOutput(@TempDir Path dir) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        int rc = cl.execute("pde", "--data", "gaussian:d=1,n=100", "--sde", "vp", "--grid", "120", "--times", "0.5,0.1",
                "--reverse", "ode", "--score", "gmm", "--steps", "100", "--json", "--out", dir.toString());
        assertThat(rc).isZero();
        assertThat(out.toString()).contains("\"mode\" : \"reverse\"").contains("\"lambda\" : 0.0");
        assertThat(dir.resolve("densities.png")).exists();
        assertThat(dir.resolve("density_t0.1.csv")).exists();
    }

    @Test
    void userErrorsExitWithStatusTwo(@TempDir Path dir) {
        assertThat(Main.execute("pde", "--data", "sphere:n=10", "--out", dir.toString())).isEqualTo(2);
        assertThat(Main.execute("pde", "--reverse", "maybe", "--out", dir.toString())).isEqualTo(2);
        assertThat(Main.execute("pde", "--times", "2", "--out", dir.toString())).isEqualTo(2);
        assertThat(Main.execute("pde", "--data", "moons:n=10", "--score", "gmm", "--grid", "16", "--out", dir.toString())).isEqualTo(2);
        assertThat(Main.execute("pde", "--box", "1,2,3", "--out", dir.toString())).isEqualTo(2);
    }
}
