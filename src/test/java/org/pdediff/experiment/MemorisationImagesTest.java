package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.data.FashionMnistFixture;

/** `experiment memorisation --data fashion-mnist --quick`: C1 on real images, end to end through the command line. */
@Tag("slow")
class MemorisationImagesTest {
    @TempDir
    Path tmp;

    @Test
    void quickFashionMnistRunConfirmsC1WithImageGrids() throws Exception {
        FashionMnistFixture.require();
        Path out = tmp.resolve("c1-images");
        assertThat(Main.execute("experiment", "memorisation", "--data", "fashion-mnist", "--quick", "--out", out.toString()))
                .isEqualTo(0);
        JsonNode r = ReportFiles.check(out, "memorisation");
        assertThat(r.get("mode").asText()).isEqualTo("images");
        assertThat(r.get("data_spec").asText()).isEqualTo("fashion-mnist:split=train,n=2000,seed=0");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        // ε = 1e-3 and 0.01 are in the regime for both samplers (σ/α ≈ 0.01 and 0.1 against a spacing of several units)
        assertThat(r.get("asserted_rows").asInt()).isGreaterThanOrEqualTo(4);
        for (JsonNode row : r.get("rows")) {
            if (row.get("in_memorisation_regime").asBoolean()) {
                // the tolerance written by the experiment: 5 standard errors of a mean of n chi_784 norms + 3%
                assertThat(Math.abs(row.get("ratio_to_prediction").asDouble() - 1)).as(row.toString())
                        .isLessThanOrEqualTo(row.get("tolerance").asDouble());
                assertThat(row.get("fraction_within").asDouble()).isEqualTo(1.0);
            }
        }
        // the grids of sample | nearest training image | distance, and the ε sweep, are in the report
        assertThat(Files.size(out.resolve("nearest_exact_sde.png"))).isGreaterThan(5000);
        assertThat(Files.readString(out.resolve("report.html"))).contains("nearest_exact_ode.png").contains("eps_sweep_exact.png");
    }
}
