package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRecordTest {
    record Stats(int n, double meanNats, String note) {
    }

    /** putAll flattens a record's JSON form into top-level entries, in component order, NaN written as JSON writes it. */
    @Test
    void putAllRecordsEachComponentInOrder() {
        RunRecord r = new RunRecord("x").put("seed", 3L).putAll(new Stats(4, Double.NaN, "n")).put("units", "nats");
        List<String> keys = new ArrayList<>(r.toMap().keySet());
        assertThat(keys.subList(keys.indexOf("seed"), keys.size())).containsExactly("seed", "n", "meanNats", "note", "units", "wall_s");
        assertThat(Json.compact(r.toMap())).contains("\"n\":4,\"meanNats\":\"NaN\",\"note\":\"n\",\"units\":\"nats\"");
    }
}
