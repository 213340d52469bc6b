package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.Batch;
import org.pdediff.core.ProgressListener;
import org.pdediff.sde.HeatSde;

/** The quick mode of the C3 experiment confirms the Li–Yau bound for exact scores with rounding-only tolerances. */
@Tag("slow")
class LiYauExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void quickConfirmsC3ForExactScores() throws Exception {
        Experiments.run(new LiYauExperiment(), LiYauExperiment.Params.defaults(true),
                new ExperimentContext(tmp, true, 0, ProgressListener.NONE));
        JsonNode r = ReportFiles.check(tmp, "li-yau");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        double tol = r.get("rounding_tolerance").asDouble();
        // rounding only: m is formed from numbers of size ≤ scale, in sums of ≤ a few thousand terms
        assertThat(tol).isLessThanOrEqualTo(1e-12);
        double smallest = Double.POSITIVE_INFINITY;
        int rows = 0;
        for (JsonNode row : r.get("exact")) {
            String kind = row.get("score").asText();
            double t = row.get("t").asDouble();
            // M14: m ≥ 0 up to rounding, on the grid and at the samples
            assertThat(row.get("grid_min_margin_over_scale").asDouble()).as("%s t=%s", kind, t).isGreaterThanOrEqualTo(-tol);
            assertThat(row.get("samples_min_margin_over_scale").asDouble()).as("%s t=%s", kind, t).isGreaterThanOrEqualTo(-tol);
            switch (kind) {
                // sharp for one datum: ∇s = −I/σ² exactly
                case "one datum" -> assertThat(row.get("max_abs_relative_margin").asDouble()).isLessThanOrEqualTo(tol);
                // equal covariances c² = 0.09: σ²m ≥ c²/(c² + σ²) on heat (α = 1)
                case "mixture" -> {
                    double s2 = 2 * t;
                    assertThat(row.get("isotropic_floor_relative").asDouble()).isCloseTo(0.09 / (0.09 + s2), within(1e-12));
                    assertThat(row.get("min_margin_minus_floor_over_scale").asDouble()).isGreaterThanOrEqualTo(-tol);
                }
                case "finite data" -> {
                    if (t < 0.01) {
                        smallest = Math.min(smallest, Math.abs(row.get("grid_min_relative_margin").asDouble()));
                    }
                }
                default -> throw new AssertionError(kind);
            }
            rows++;
        }
        assertThat(rows).isEqualTo(3 * r.get("times").size());
        // the bound is attained by finite data far from the points: at small t one point takes all the weight there,
        // Cov_π ~ e^{−Δ/(2σ²)} with Δ = O(1) the gap of squared distances, far below 1e-6
        assertThat(smallest).isLessThan(1e-6);
        JsonNode net = r.get("network");
        // the network part runs in --quick (a diagnostic: its violations are reported, not asserted against M14)
        assertThat(net.get("run").asBoolean()).isTrue();
        assertThat(net.get("per_t").size()).isEqualTo(r.get("times").size());
        for (JsonNode row : net.get("per_t")) {
            assertThat(row.get("grid_fraction_negative").asDouble()).isBetween(0.0, 1.0);
            assertThat(row.get("samples_fraction_negative").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void marginsFlagAnOverConfidentScore() {
        // s = −2x/σ²: ∇s = −2I/σ², so m = −1/σ² everywhere (no data law has this score)
        HeatSde sde = new HeatSde(1);
        org.pdediff.score.ScoreModel sharp = new org.pdediff.score.ScoreModel() {
            @Override
            public org.pdediff.sde.Sde sde() {
                return sde;
            }

            @Override
            public int dim() {
                return 2;
            }

            @Override
            public void score(Batch x, double t, Batch out) {
                for (int k = 0; k < x.data().length; k++) {
                    out.data()[k] = -2 * x.data()[k] / sde.sigma2(t);
                }
            }

            @Override
            public String describe() {
                return "over-confident";
            }
        };
        LiYauExperiment.Margins m = LiYauExperiment.margins(sharp, Batch.ofRows(new double[] {0.2, 0.1}, new double[] {-1, 2}), 0.3);
        for (double v : m.margin()) {
            // central differences of a linear field are exact up to rounding of x ± 1e-4σ
            assertThat(v).isCloseTo(-1 / sde.sigma2(0.3), within(1e-6 / sde.sigma2(0.3)));
        }
        assertThat(m.fractionNegative()).isEqualTo(1.0);
    }

    @Test
    void optionsOutOfRangeExitTwo() {
        assertThat(Main.execute("experiment", "li-yau", "--t-min", "2", "--out", tmp.resolve("a").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "li-yau", "--cells", "2", "--out", tmp.resolve("b").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "no-such-experiment", "--out", tmp.resolve("c").toString())).isEqualTo(2);
    }
}
