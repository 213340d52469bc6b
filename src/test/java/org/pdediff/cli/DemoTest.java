package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Json;
import org.pdediff.data.Csv;
import org.pdediff.data.DataSets;

/** The demo at a small size: every output exists, the report's images exist, and C1 shows in the numbers. */
@Tag("slow")
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void smallDemoWritesItsReport() throws Exception {
        assertThat(Main.execute("demo", "--data", "moons:n=300", "--n", "300", "--train-steps", "150", "--out", tmp.toString(), "--json")).isZero();
        for (String f : new String[] {"report.html", "report.md", "summary.json", "summary.md", "run.json", "demo.png", "demo_grid.png",
            "data.csv", "samples_exact_sde.csv", "samples_exact_ode.csv", "samples_network_sde.csv", "samples_network_ode.csv"}) {
            assertThat(tmp.resolve(f)).exists();
        }
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(Files.readString(tmp.resolve("report.html")));
        while (m.find()) {
            assertThat(tmp.resolve(m.group(1))).exists();
        }
        JsonNode s = Json.MAPPER.readTree(tmp.resolve("summary.json").toFile());
        double predicted = s.get("c1_predicted_mean_nearest_dist").asDouble();
        for (JsonNode run : s.get("runs")) {
            if (run.get("score").asText().equals("exact")) {
                // C1: exact-score samples end at ≈ √(π/2)σ/α from a training point (300 samples: ±30% covers the
                // sampling error of a mean of Rayleigh distances and the residual time-discretisation error)
                assertThat(run.get("mean_nearest_dist").asDouble()).isBetween(0.5 * predicted, 1.3 * predicted);
            }
            // the first held-out set is the single-set figure; the mean runs over all of them
            assertThat(run.get("w2_to_held_out_mean").asDouble()).isPositive();
            assertThat(run.get("w2_to_held_out_sd").asDouble()).isPositive();
        }
        JsonNode gen = s.get("generalisation");
        assertThat(gen.get("held_out_sets").asInt()).isEqualTo(8);
        assertThat(gen.get("ratio_to_floor_mean").asDouble())
                .isCloseTo(gen.get("network_best_w2_to_held_out_mean").asDouble() / gen.get("floor_mean").asDouble(), within(1e-12));
        assertThat(gen.get("within_target_first_set").asBoolean()).isEqualTo(gen.get("ratio_to_floor_mean").asDouble() <= 1.3);
        // the check is decided on the paired estimator over K generated sets (network 8, exact score 4 by default)
        assertThat(gen.get("generated_sets_network").asInt()).isEqualTo(8);
        assertThat(gen.get("generated_sets_exact").asInt()).isEqualTo(4);
        assertThat(gen.get("within_target_training_floor").asBoolean()).isEqualTo(gen.get("ratio_to_floor_paired_mean").asDouble() <= 1.3);
        // decided against the true law's own W2 to the same held-out sets (moons is a law: 4 iid samples per held-out set)
        assertThat(gen.get("target_reference").asText()).isEqualTo("true_law");
        assertThat(gen.get("true_law_sets").asInt()).isEqualTo(32);
        assertThat(gen.get("true_law_ratio_to_floor").asDouble())
                .isCloseTo(gen.get("true_law_w2_mean").asDouble() / gen.get("floor_mean").asDouble(), within(1e-12));
        assertThat(gen.get("within_target").asBoolean()).isEqualTo(gen.get("ratio_to_true_law").asDouble() <= 1.3);
        assertThat(gen.get("ratio_to_true_law_se").asDouble()).isPositive();
        for (JsonNode run : s.get("runs")) {
            if (run.get("score").asText().equals("network") && run.get("sampler").asText().equals(gen.get("network_best_sampler").asText())) {
                // the network's 8 sets use all 8 held-out sets: the quotient is of the two means
                assertThat(gen.get("ratio_to_true_law").asDouble())
                        .isCloseTo(run.get("w2_paired_mean").asDouble() / gen.get("true_law_w2_mean").asDouble(), within(1e-12));
                assertThat(run.get("w2_paired_values")).hasSize(8);
            }
        }
        assertThat(gen.get("ratio_to_floor_paired_se").asDouble()).isPositive();
        for (JsonNode run : s.get("runs")) {
            int k = run.get("generated_sets").asInt();
            assertThat(k).isEqualTo(run.get("score").asText().equals("exact") ? 4 : 8);
            if (run.get("score").asText().equals("network") && run.get("sampler").asText().equals(gen.get("network_best_sampler").asText())) {
                assertThat(run.get("ratio_to_floor_paired_mean").asDouble()).isEqualTo(gen.get("ratio_to_floor_paired_mean").asDouble());
            }
            assertThat(run.get("ratio_to_floor_paired_mean").asDouble()).isPositive();
        }
        // the CSVs hold the first generated set (the plots' points)
        assertThat(Files.readAllLines(tmp.resolve("samples_network_ode.csv"))).hasSize(301);
        assertThat(gen.get("ratio_to_floor").asDouble()).isPositive();
        assertThat(s.get("fp_mass_error").asDouble()).isLessThan(1e-12);
    }

    @Test
    void aFixedPointSetIsCheckedAgainstTheTrainingFloor() throws Exception {
        // a file has no law to draw true-law samples from: the check falls back to the training-set floor
        Path csv = tmp.resolve("moons.csv");
        Csv.write(csv, DataSets.parse("moons:n=200,seed=3").points());
        Path out = tmp.resolve("out");
        assertThat(Main.execute("demo", "--data", "file:" + csv, "--n", "200", "--train-steps", "60", "--sets", "2",
                "--exact-sets", "1", "--out", out.toString(), "--json")).isZero();
        JsonNode gen = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("generalisation");
        assertThat(gen.get("target_reference").asText()).isEqualTo("training_floor");
        assertThat(gen.has("ratio_to_true_law")).isFalse();
        assertThat(gen.get("within_target").asBoolean()).isEqualTo(gen.get("ratio_to_floor_paired_mean").asDouble() <= 1.3);
    }
}
