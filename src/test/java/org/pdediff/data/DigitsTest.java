package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;

class DigitsTest {
    @Test
    void fullSetHas1797ImagesOf64PixelsScaledIntoMinusOneOne() {
        Batch x = DataSets.parse("digits").points();
        assertThat(x.size()).isEqualTo(1797);
        assertThat(x.dim()).isEqualTo(64);
        for (double v : x.data()) {
            assertThat(v).isBetween(-1.0, 1.0);
            // pixel intensities are integers 0..16 scaled by x/8 − 1 (exact in binary)
            double k = (v + 1) * 8;
            assertThat(k).isEqualTo(Math.rint(k));
        }
        // the first image is the UCI/sklearn digits[0] (a zero): rows 0..1 of the 8×8 grid are 0 0 5 13 9 1 0 0 / 0 0 13 15 10 15 5 0
        int[] first = {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0};
        for (int j = 0; j < first.length; j++) {
            assertThat(x.get(0, j)).isEqualTo(first[j] / 8.0 - 1);
        }
    }

    @Test
    void seededSubsetIsASubsetInOriginalOrderAndDependsOnTheSeed() {
        Batch all = DataSets.parse("digits").points();
        Map<String, Integer> index = new HashMap<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            index.put(java.util.Arrays.toString(all.row(i)), i);
        }
        Batch a = DataSets.parse("digits:n=100,seed=0").points();
        Batch b = DataSets.parse("digits:n=100,seed=1").points();
        assertThat(a.size()).isEqualTo(100);
        int last = -1;
        for (int i = 0; i < 100; i++) {
            Integer at = index.get(java.util.Arrays.toString(a.row(i)));
            assertThat(at).as("row %d of the subset is an image of the full set", i).isNotNull();
            assertThat(at).isGreaterThanOrEqualTo(last);
            last = at;
        }
        assertThat(b.data()).isNotEqualTo(a.data());
        assertThat(DataSets.parse("digits:n=100,seed=1").points().data()).containsExactly(b.data());
    }
}
