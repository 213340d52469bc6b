package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pdediff.core.Batch;

/** Geometric oracles of the catalogue: supports, radii, boxes. Statistical bounds are 5 standard errors. */
class DataGeometryTest {
    @Test
    void checkerPointsLieInTheEightSquaresEachWithAnEighth() {
        int n = 40_000;
        DataSet ds = DataSets.parse("checker:n=" + n + ",seed=9");
        Batch x = ds.points();
        Support sup = ds.support().orElseThrow();
        int[] count = new int[8];
        for (int i = 0; i < n; i++) {
            assertThat(sup.distance(x, i)).isEqualTo(0);
            int hits = 0;
            for (int k = 0; k < 8; k++) {
                double[] c = DataSets.CHECKER[k];
                if (x.get(i, 0) >= c[0] && x.get(i, 0) <= c[0] + 1.5 && x.get(i, 1) >= c[1] && x.get(i, 1) <= c[1] + 1.5) {
                    count[k]++;
                    hits++;
                }
            }
            assertThat(hits).isGreaterThanOrEqualTo(1);
        }
        // the squares of MATH.md §6 form a checkerboard: no two share interior points, and together have area 18
        for (int k = 0; k < 8; k++) {
            assertThat(Math.abs(count[k] / (double) n - 0.125)).as("square %d", k).isLessThan(5 * Math.sqrt(0.125 * 0.875 / n));
        }
        // points outside are at the stated distance: (−3.5, −3.5) is √0.5 from the corner (−3, −3)
        Batch out = Batch.ofRows(new double[] {-3.5, -3.5}, new double[] {-0.75, -2.25}, new double[] {3.5, -0.75});
        assertThat(sup.distances(out)).containsExactly(new double[] {Math.sqrt(0.5), 0.75, 0.5}, within(1e-15));
    }

    @ParameterizedTest
    @CsvSource({"circle, 1", "'circle:radius=2.5', 2.5", "sphere, 1", "'sphere:d=5,radius=1.5', 1.5", "'sphere:d=2', 1"})
    void circleAndSpherePointsLieOnTheirSupport(String spec, double radius) {
        DataSet ds = DataSets.parse(spec);
        Support sup = ds.support().orElseThrow();
        Batch x = ds.points();
        for (int i = 0; i < x.size(); i++) {
            // rescaling to the radius rounds to a few ulps of the radius
            assertThat(sup.distance(x, i)).isLessThanOrEqualTo(1e-12);
            double r = Math.sqrt(java.util.Arrays.stream(x.row(i)).map(v -> v * v).sum());
            assertThat(r).isCloseTo(radius, within(1e-12));
        }
        // uniform on a centred sphere: mean 0, each coordinate variance r²/d (SE of a mean ≤ r/√(d n))
        int d = x.dim();
        double[] m = x.mean();
        for (int j = 0; j < d; j++) {
            assertThat(Math.abs(m[j])).isLessThan(5 * radius / Math.sqrt(d * x.size()));
        }
    }

    @Test
    void noisyCircleHasNoExactSupport() {
        assertThat(DataSets.parse("circle:noise=0.1").support()).isEmpty();
    }

    @Test
    void circlesHaveRadiiAroundTwiceZeroSixFiveAndOnePointFour() {
        int n = 20_000;
        Batch x = DataSets.parse("circles:n=" + n + ",seed=4").points();
        double[] sum = new double[2];
        double[] sum2 = new double[2];
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(x.get(i, 0), x.get(i, 1));
            sum[i % 2] += r;
            sum2[i % 2] += r * r;
        }
        int half = n / 2;
        double[] expected = {2 * 0.65, 2 * 1.4};
        for (int k = 0; k < 2; k++) {
            double mean = sum[k] / half;
            double var = sum2[k] / half - mean * mean;
            // r = 2(μ + 0.1 z): sd 0.2, SE of the mean 0.2/√half, of the variance 0.04·√(2/half)
            assertThat(Math.abs(mean - expected[k])).isLessThan(5 * 0.2 / Math.sqrt(half));
            assertThat(Math.abs(var - 0.04)).isLessThan(5 * 0.04 * Math.sqrt(2.0 / half));
        }
    }

    @Test
    void noiselessMoonsSwissrollAndSpiralLieOnTheirCurves() {
        Batch moons = DataSets.parse("moons:noise=0,n=500").points();
        for (int i = 0; i < 500; i++) {
            // even points: (cos a − ½, sin a − ¼), upper half circle about (−½, −¼); odd: (½ − cos a, ¼ − sin a)
            double cx = i % 2 == 0 ? -0.5 : 0.5;
            double cy = i % 2 == 0 ? -0.25 : 0.25;
            double dx = moons.get(i, 0) - cx;
            double dy = moons.get(i, 1) - cy;
            assertThat(Math.hypot(dx, dy)).isCloseTo(1, within(1e-14));
            assertThat(i % 2 == 0 ? dy : -dy).isGreaterThanOrEqualTo(-1e-15);
        }
        Batch roll = DataSets.parse("swissroll:noise=0,n=500").points();
        for (int i = 0; i < 500; i++) {
            // (a cos a, a sin a)/5 with a ∈ [1.5π, 4.5π): |x| = a/5 and the angle of x is a (mod 2π)
            double a = 5 * Math.hypot(roll.get(i, 0), roll.get(i, 1));
            assertThat(a).isBetween(1.5 * Math.PI - 1e-12, 4.5 * Math.PI);
            assertThat(Math.IEEEremainder(Math.atan2(roll.get(i, 1), roll.get(i, 0)) - a, 2 * Math.PI)).isCloseTo(0, within(1e-12));
        }
        Batch spiral = DataSets.parse("spiral:noise=0,n=500").points();
        for (int i = 0; i < 500; i++) {
            // r = 2.5 a/(3π), a ∈ [0, 3π): angle of x is a (mod 2π)
            double r = Math.hypot(spiral.get(i, 0), spiral.get(i, 1));
            double a = 3 * Math.PI * r / 2.5;
            assertThat(r).isLessThanOrEqualTo(2.5);
            assertThat(Math.IEEEremainder(Math.atan2(spiral.get(i, 1), spiral.get(i, 0)) - a, 2 * Math.PI)).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void pointsLieInTheBoxAndAreTheirOwnSupport() {
        int n = 3000;
        DataSet ds = DataSets.parse("points:d=3,low=-2,high=3,n=" + n + ",seed=1");
        Batch x = ds.points();
        Support sup = ds.support().orElseThrow();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(x.get(i, j)).isBetween(-2.0, 3.0);
            }
        }
        for (int i = 0; i < 50; i++) {
            assertThat(sup.distance(x, i)).isEqualTo(0);
        }
        // uniform on [−2, 3]: mean 0.5, sd 5/√12
        double[] m = x.mean();
        for (int j = 0; j < 3; j++) {
            assertThat(Math.abs(m[j] - 0.5)).isLessThan(5 * (5 / Math.sqrt(12)) / Math.sqrt(n));
        }
        Batch probe = Batch.ofRows(new double[] {x.get(0, 0) + 0.001, x.get(0, 1), x.get(0, 2)});
        assertThat(sup.distance(probe, 0)).isLessThanOrEqualTo(0.001 + 1e-15);
    }
}
