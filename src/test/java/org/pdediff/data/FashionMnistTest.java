package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

@Tag("slow")
class FashionMnistTest {
    @Test
    void trainAndTestSplitsHaveTheirSizesAndPixelsScaledIntoMinusOneOne() {
        FashionMnistFixture.require();
        FashionMnist.Raw train = FashionMnist.raw(FashionMnist.Split.TRAIN);
        FashionMnist.Raw test = FashionMnist.raw(FashionMnist.Split.TEST);
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        // the published label counts: 6,000 per class in train, 1,000 in test
        int[] counts = new int[10];
        for (byte l : train.labels()) {
            counts[l]++;
        }
        assertThat(counts).containsOnly(6000);
        // the first training image is an ankle boot (label 9), the first test image too
        assertThat(FashionMnist.label(FashionMnist.Split.TRAIN, 0)).isEqualTo(9);
        assertThat(FashionMnist.label(FashionMnist.Split.TEST, 0)).isEqualTo(9);
        DataSet ds = DataSets.parse("fashion-mnist:split=test");
        assertThat(ds.size()).isEqualTo(10_000);
        assertThat(ds.dim()).isEqualTo(784);
        assertThat(ds.spec()).isEqualTo("fashion-mnist:split=test,n=10000,seed=0");
        double lo = 1;
        double hi = -1;
        for (double v : ds.points().data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            double p = (v + 1) * 127.5;
            assertThat(Math.abs(p - Math.rint(p))).isLessThan(1e-9);
        }
        assertThat(lo).isEqualTo(-1.0);
        assertThat(hi).isEqualTo(1.0);
        assertThat(ds.points().get(0, 0)).isEqualTo((test.pixels()[0] & 0xff) / 127.5 - 1);
    }

    @Test
    void classFilterAndSeededSubset() {
        FashionMnistFixture.require();
        int[] idx = new int[500];
        Batch a = FashionMnist.load(FashionMnist.Split.TRAIN, FashionMnist.parseClasses("0+7"), 500,
                org.pdediff.core.RandomStream.of(3).derive("x"), idx);
        int last = -1;
        for (int r = 0; r < 500; r++) {
            int lab = FashionMnist.label(FashionMnist.Split.TRAIN, idx[r]);
            assertThat(lab).isIn(0, 7);
            assertThat(idx[r]).isGreaterThan(last);
            last = idx[r];
            FashionMnist.Raw raw = FashionMnist.raw(FashionMnist.Split.TRAIN);
            assertThat(a.get(r, 400)).isEqualTo((raw.pixels()[idx[r] * 784 + 400] & 0xff) / 127.5 - 1);
        }
        DataSet s1 = DataSets.parse("fashion-mnist:n=200,seed=1,classes=5-9");
        DataSet s1again = DataSets.parse("fashion-mnist:classes=5-9,seed=1,n=200");
        DataSet s2 = DataSets.parse("fashion-mnist:n=200,seed=2,classes=5-9");
        assertThat(s1.spec()).isEqualTo("fashion-mnist:split=train,n=200,seed=1,classes=5+6+7+8+9");
        assertThat(s1again.points().data()).containsExactly(s1.points().data());
        assertThat(s2.points().data()).isNotEqualTo(s1.points().data());
        assertThat(DataSets.parse("fashion-mnist:classes=3").size()).isEqualTo(6000);
    }

    @Test
    void badSpecsAreOneLineErrors() {
        FashionMnistFixture.require();
        assertThatThrownBy(() -> DataSets.parse("fashion-mnist:split=val")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("split must be train or test");
        assertThatThrownBy(() -> DataSets.parse("fashion-mnist:classes=10")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("classes must be labels 0..9");
        assertThatThrownBy(() -> DataSets.parse("fashion-mnist:split=test,n=10001")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has only 10000 images");
        assertThatThrownBy(() -> DataSets.parse("fashion-mnist:size=3")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown key 'size'");
    }
}
