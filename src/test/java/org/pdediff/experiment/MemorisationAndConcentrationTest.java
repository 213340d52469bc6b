package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.ProgressListener;

/** The quick modes of the C1 and C5/C6 experiments confirm their claims with tolerances from the math. */
@Tag("slow")
class MemorisationAndConcentrationTest {
    @TempDir
    Path tmp;

    @Test
    void memorisationQuickConfirmsC1() throws Exception {
        Experiments.run(new MemorisationExperiment(), MemorisationExperiment.Params.defaults(true),
                new ExperimentContext(tmp, true, 0, ProgressListener.NONE));
        JsonNode r = ReportFiles.check(tmp, "memorisation");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        assertThat(r.get("asserted_rows").asInt()).isGreaterThanOrEqualTo(8);
        for (JsonNode row : r.get("rows")) {
            if (row.get("in_memorisation_regime").asBoolean()) {
                // 5 standard errors of a mean of n Rayleigh-type distances plus 3%, n ≥ 64
                assertThat(row.get("ratio_to_prediction").asDouble()).as(row.toString()).isBetween(0.6, 1.4);
                assertThat(row.get("fraction_within").asDouble()).isGreaterThanOrEqualTo(0.99);
            }
        }
        // the exact score is a memoriser: at the largest ε, samples are spread and the ratio is far from 1 for N = 256
        assertThat(r.get("rows").findValues("ratio_to_prediction").stream().mapToDouble(JsonNode::asDouble).min().orElseThrow())
                .isLessThan(0.5);
    }

    @Test
    void concentrationQuickConfirmsC5AndC6() throws Exception {
        Experiments.run(new ConcentrationExperiment(), ConcentrationExperiment.Params.defaults(true),
                new ExperimentContext(tmp, true, 0, ProgressListener.NONE));
        JsonNode r = ReportFiles.check(tmp, "concentration");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        // the tolerance for the quick size: slope within [0.4, 0.6]
        for (JsonNode run : r.get("runs")) {
            assertThat(run.get("slope").asDouble()).as(run.get("data").asText()).isBetween(0.4, 0.6);
            assertThat(run.get("bound_holds").asBoolean()).isTrue();
        }
        assertThat(r.get("recommended").get("circle").get("recommended_eps").asDouble()).isPositive();
    }

    @Test
    void optionsOutOfRangeExitTwo() {
        assertThat(Main.execute("experiment", "memorisation", "--sizes", "1", "--out", tmp.resolve("a").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "concentration", "--eps-min", "0.5", "--out", tmp.resolve("b").toString())).isEqualTo(2);
    }
}
