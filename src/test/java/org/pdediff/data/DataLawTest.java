package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.Moments;

/** Sets with a known Gaussian-mixture law: sample moments against the law's closed-form moments (5 standard errors). */
class DataLawTest {
    @ParameterizedTest
    @ValueSource(strings = {"gaussian:d=3,mean=0.7,std=1.3,n=20000,seed=1", "gmm:n=20000,seed=2",
        "gmm:k=3,radius=1,std=0.5,n=20000,seed=3", "blob:n=20000,seed=4"})
    void sampleMomentsMatchTheLaw(String spec) {
        DataSet ds = DataSets.parse(spec);
        GaussianMixture law = ds.law().orElseThrow();
        Batch x = ds.points();
        int d = x.dim();
        double[] m = x.mean();
        double[] c = x.covariance();
        double[] seM = Moments.meanStdErr(x);
        double[] seC = Moments.covStdErr(x);
        double[] mu = law.mean();
        double[] cov = law.covariance();
        for (int j = 0; j < d; j++) {
            assertThat(Math.abs(m[j] - mu[j])).as("mean %d", j).isLessThan(5 * seM[j]);
        }
        for (int k = 0; k < d * d; k++) {
            assertThat(Math.abs(c[k] - cov[k])).as("cov entry %d", k).isLessThan(5 * seC[k]);
        }
    }

    @Test
    void gaussianLawIsTheDocumentedOne() {
        GaussianMixture law = DataSets.parse("gaussian:d=3,mean=0.7,std=1.3").law().orElseThrow();
        assertThat(law.components()).isEqualTo(1);
        assertThat(law.mean()).containsExactly(0.7, 0.7, 0.7);
        double[] cov = law.covariance();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertThat(cov[a * 3 + b]).isCloseTo(a == b ? 1.69 : 0, within(1e-15));
            }
        }
    }

    @Test
    void gmmHasEqualComponentsOnACircle() {
        GaussianMixture law = DataSets.parse("gmm:k=8,radius=2,std=0.1").law().orElseThrow();
        assertThat(law.components()).isEqualTo(8);
        for (int k = 0; k < 8; k++) {
            assertThat(law.weight(k)).isCloseTo(1.0 / 8, within(1e-15));
            double[] mu = law.mean(k);
            assertThat(Math.hypot(mu[0], mu[1])).isCloseTo(2, within(1e-14));
            assertThat(Math.atan2(mu[1], mu[0])).isCloseTo(Math.IEEEremainder(2 * Math.PI * k / 8, 2 * Math.PI), within(1e-14));
            assertThat(law.covariance(k)).containsExactly(new double[] {0.01, 0, 0, 0.01}, within(1e-17));
        }
        // by symmetry the overall mean is 0 and the covariance is (std² + r²/2) I
        assertThat(law.mean()).containsExactly(new double[] {0, 0}, within(1e-15));
        assertThat(law.covariance()).containsExactly(new double[] {2.01, 0, 0, 2.01}, within(1e-14));
    }

    @Test
    void blobHasTheNineCentresAndVarianceOfMathSection6() {
        GaussianMixture law = DataSets.parse("blob").law().orElseThrow();
        assertThat(law.components()).isEqualTo(9);
        double[][] expected = {{2, 2}, {2, -2}, {-2, 2}, {-2, -2}, {0, 0}, {4, 0}, {-4, 0}, {0, 4}, {0, -4}};
        List<String> want = new ArrayList<>();
        for (double[] e : expected) {
            want.add(key(0.65 * e[0], 0.65 * e[1]));
        }
        List<String> got = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            double[] mu = law.mean(k);
            got.add(key(mu[0], mu[1]));
            assertThat(law.weight(k)).isCloseTo(1.0 / 9, within(1e-15));
            assertThat(law.covariance(k)).containsExactly(new double[] {0.0845, 0, 0, 0.0845}, within(1e-16));
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(want);
    }

    private static String key(double x, double y) {
        return String.format(java.util.Locale.ROOT, "%.12f,%.12f", x + 0.0, y + 0.0);
    }

    @Test
    void mixtureSamplingPicksComponentsByWeight() {
        // unequal weights 0.2/0.8 on well separated point masses: the fraction at each is binomial
        GaussianMixture law = new GaussianMixture(new double[] {1, 4}, new double[][] {{-5}, {5}},
                new double[][] {{0}, {0}});
        int n = 50_000;
        Batch x = law.sample(n, org.pdediff.core.RandomStream.of(8));
        int left = 0;
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(x.get(i, 0))).isEqualTo(5);
            if (x.get(i, 0) < 0) {
                left++;
            }
        }
        assertThat(Math.abs(left / (double) n - 0.2)).isLessThan(5 * Math.sqrt(0.2 * 0.8 / n));
        assertThat(law.weight(0)).isEqualTo(0.2);
    }

    @Test
    void scaledAndBlurredIsTheLawOfAlphaXPlusSigmaZ() {
        GaussianMixture law = new GaussianMixture(new double[] {1, 3}, new double[][] {{1, -2}, {0, 4}},
                new double[][] {{2, 0.5, 0.5, 1}, {0, 0, 0, 0}});
        GaussianMixture pt = law.scaledAndBlurred(0.5, 0.25);
        assertThat(pt.weight(0)).isEqualTo(law.weight(0));
        assertThat(pt.weight(1)).isEqualTo(law.weight(1));
        assertThat(pt.mean(0)).containsExactly(0.5, -1);
        assertThat(pt.mean(1)).containsExactly(0, 2);
        // α²Σ + σ²I
        assertThat(pt.covariance(0)).containsExactly(0.75, 0.125, 0.125, 0.5);
        assertThat(pt.covariance(1)).containsExactly(0.25, 0, 0, 0.25);
    }
}
