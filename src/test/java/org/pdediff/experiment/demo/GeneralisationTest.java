package org.pdediff.experiment.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdediff.core.InvalidInputException;
import org.pdediff.experiment.ResultJson;
import org.pdediff.metrics.HeldOutW2;

/**
 * The demo's generalisation decision from given numbers: which run decides, against which reference, and the JSON
 * keys of summary.json's {@code generalisation} (the order of the demo before it was typed).
 */
class GeneralisationTest {
    /** The keys before and after the true-law block, in summary.json's order. */
    static final List<String> HEAD = List.of("network_best_w2_to_test", "ratio_to_floor", "target_ratio", "held_out_sets",
            "floor_mean", "floor_sd", "network_best_w2_to_held_out_mean", "exact_best_w2_to_held_out_mean", "ratio_to_floor_mean",
            "exact_ratio_to_floor_mean", "ratio_to_floor_single", "estimator", "generated_sets_network", "generated_sets_exact",
            "network_best_sampler", "ratio_to_floor_paired_mean", "ratio_to_floor_paired_sd", "ratio_to_floor_paired_se",
            "exact_ratio_to_floor_paired_mean", "exact_ratio_to_floor_paired_sd", "within_target_first_set",
            "within_target_training_floor", "target_reference");
    static final List<String> TRUE_LAW = List.of("true_law_reference", "true_law_sets", "true_law_w2_mean", "true_law_w2_sd",
            "true_law_ratio_to_floor", "ratio_to_true_law", "ratio_to_true_law_se", "exact_ratio_to_true_law");
    static final List<String> TAIL = List.of("within_target", "farther_from_training_points_than_exact");

    /** A run's row: K paired values all equal to {@code paired} (sd 0), R = {@code ratio}. */
    static RunRow row(String score, String sampler, double nearest, double w2ToTest, double heldOutMean, int sets,
                      double paired, double ratio) {
        double[] v = new double[sets];
        Arrays.fill(v, paired);
        return new RunRow(score, sampler, 100, 1.0, nearest, 0.5, 0.01, w2ToTest, heldOutMean, 0.01, sets, paired, 0, v,
                ratio, 0.1, 0.05);
    }

    static List<RunRow> rows() {
        return List.of(row("exact", "sde", 0.011, 0.19, 0.16, 4, 0.16, 1.21), row("exact", "ode", 0.010, 0.26, 0.23, 4, 0.19, 1.38),
                row("network", "sde", 0.157, 0.32, 0.32, 8, 0.33, 2.48), row("network", "ode", 0.148, 0.34, 0.33, 8, 0.30, 1.25));
    }

    static HeldOutW2 floor() {
        double[] v = new double[8];
        Arrays.fill(v, 0.13);
        return new HeldOutW2(0.13, 0.02, v);
    }

    static List<String> keys(Generalisation g) {
        return new ArrayList<>(ResultJson.object(g).keySet());
    }

    @Test
    void withoutALawTheTrainingFloorDecides() {
        Generalisation g = Generalisation.of(rows(), 0.16, floor(), null);
        // the network's better sampler by R decides; the first-set figures take the best of each column
        assertThat(g.networkBestSampler()).isEqualTo("ode");
        assertThat(g.ratioToFloorPairedMean()).isEqualTo(1.25);
        assertThat(g.generatedSetsNetwork()).isEqualTo(8);
        assertThat(g.generatedSetsExact()).isEqualTo(4);
        assertThat(g.exactRatioToFloorPairedMean()).isEqualTo(1.21);
        assertThat(g.networkBestW2ToTest()).isEqualTo(0.32);
        assertThat(g.ratioToFloor()).isCloseTo(2.0, within(1e-12));
        assertThat(g.ratioToFloorMean()).isCloseTo(0.32 / 0.13, within(1e-12));
        assertThat(g.exactRatioToFloorMean()).isCloseTo(0.16 / 0.13, within(1e-12));
        assertThat(g.withinTargetFirstSet()).isFalse();
        assertThat(g.withinTargetTrainingFloor()).isTrue();
        assertThat(g.targetReference()).isEqualTo("training_floor");
        assertThat(g.withinTarget()).isTrue();
        assertThat(g.fartherFromTrainingPointsThanExact()).isTrue();
        List<String> expected = new ArrayList<>(HEAD);
        expected.addAll(TAIL);
        assertThat(keys(g)).containsExactlyElementsOf(expected);
    }

    @Test
    void withALawTheTrueLawsOwnW2Decides() {
        // 32 true-law samples cycled over 8 held-out sets: W2 0.10 against the first 4 sets, 0.14 against the others
        double[] v = new double[32];
        for (int j = 0; j < v.length; j++) {
            v[j] = j % 8 < 4 ? 0.10 : 0.14;
        }
        HeldOutW2 truth = new HeldOutW2(0.12, 0.02, v);
        Generalisation g = Generalisation.of(rows(), 0.16, floor(), truth);
        assertThat(g.targetReference()).isEqualTo("true_law");
        Generalisation.TrueLaw law = g.trueLaw().orElseThrow();
        assertThat(law.trueLawSets()).isEqualTo(32);
        assertThat(law.trueLawRatioToFloor()).isCloseTo(0.12 / 0.13, within(1e-12));
        // the network's 8 sets meet all 8 held-out sets; the exact score's 4 only the first 4
        assertThat(law.ratioToTrueLaw()).isCloseTo(0.30 / 0.12, within(1e-12));
        assertThat(law.exactRatioToTrueLaw()).isCloseTo(0.16 / 0.10, within(1e-12));
        // R = 1.25 meets 1.3× the training floor, but the check is q = 2.5 against the true law
        assertThat(g.withinTargetTrainingFloor()).isTrue();
        assertThat(g.withinTarget()).isFalse();
        List<String> expected = new ArrayList<>(HEAD);
        expected.addAll(TRUE_LAW);
        expected.addAll(TAIL);
        Map<String, Object> json = ResultJson.object(g);
        assertThat(new ArrayList<>(json.keySet())).containsExactlyElementsOf(expected);
        assertThat(json.get("true_law_sets")).isEqualTo(32);
        assertThat(json.get("held_out_sets")).isEqualTo(Demo.HELD_OUT_SETS);
    }

    @Test
    void theFirstOfEqualRatiosDecidesAndBothScoresAreNeeded() {
        List<RunRow> tied = List.of(row("exact", "sde", 0.01, 0.2, 0.2, 4, 0.2, 1.2), row("network", "sde", 0.1, 0.3, 0.3, 8, 0.3, 1.4),
                row("network", "ode", 0.1, 0.3, 0.3, 8, 0.3, 1.4));
        assertThat(Generalisation.of(tied, 0.16, floor(), null).networkBestSampler()).isEqualTo("sde");
        assertThatThrownBy(() -> Generalisation.of(tied.subList(1, 3), 0.16, floor(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact score");
    }

    @Test
    void paramsRefuseSetsOutsideTheHeldOutSets() {
        assertThatThrownBy(() -> new Demo.Params("moons", 0, 100, 9, 4, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--sets and --exact-sets must be in 1..8, got 9 and 4");
        assertThatThrownBy(() -> new Demo.Params("moons", 0, 1, 8, 4, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--n must be > 1, got 1");
        assertThat(Demo.Params.defaults().trainSteps()).isEqualTo(12_000);
    }
}
