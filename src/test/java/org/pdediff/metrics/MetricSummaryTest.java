package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Json;

/** The JSON views of the metric results: snake_case keys in component order, conditional keys, bulky arrays left out. */
class MetricSummaryTest {
    private static List<String> keys(Object view) {
        List<String> k = new ArrayList<>();
        Json.MAPPER.<JsonNode>valueToTree(view).fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void transportNamesItsPairAfterTheGroundCostAndRecordsTheGridOnlyForHistograms() {
        Batch a = TestData.gaussian(40, 2, 0, 1, 1, "view");
        Batch b = TestData.gaussian(40, 2, 0, 1, 2, "view");
        TransportResult w1 = Wasserstein.exact(a, b, Wasserstein.Options.defaults().withCost(GroundCost.EUCLIDEAN));
        assertThat(keys(MetricSummary.Transport.of(w1, GroundCost.EUCLIDEAN, null)))
                .containsExactly("w1", "w1_sq", "cost", "error_bound", "method", "exact", "note");
        GridHistogram ha = GridHistogram.of(a, 8, 3);
        GridHistogram hb = GridHistogram.of(b, 8, 3);
        MetricSummary.Transport w2 = MetricSummary.Transport.of(Wasserstein.histograms(ha, hb, GroundCost.SQUARED_EUCLIDEAN),
                GroundCost.SQUARED_EUCLIDEAN, MetricSummary.HistogramGrid.of(ha, hb));
        assertThat(keys(w2)).containsExactly("w2", "w2_sq", "cost", "error_bound", "method", "exact", "note", "grid");
        assertThat(keys(w2.grid())).containsExactly("cells_per_side", "box", "dim", "cell_width", "outside_a", "outside_b",
                "cells_a", "cells_b");
        assertThat(w2.w2Sq()).isEqualTo(w2.w2() * w2.w2());
    }

    @Test
    void memorisationLeavesThePerSampleArraysOut() {
        Batch a = TestData.gaussian(30, 2, 0, 1, 3, "view");
        MetricSummary.Memorisation m = MetricSummary.Memorisation.of(Memorization.compute(a, TestData.gaussian(20, 2, 0, 1, 4, "view")));
        assertThat(keys(m)).containsExactly("mean_nearest_dist", "fraction_within", "delta", "ratio_below_third",
                "distinct_nearest", "max_hits", "hit_counts");
        assertThat(keys(MetricSummary.Sliced.of(SlicedWasserstein.compute(a, a, 5, 1))))
                .containsExactly("w2", "w2_sq", "standard_error", "directions", "seed");
    }
}
