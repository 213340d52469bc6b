package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statistical and determinism properties of the counter-based streams. Statistical bounds are 5 standard errors of
 * the statistic under the ideal law: the sample mean of n standard normals has SE 1/√n, the sample variance
 * √(2/n), a sample correlation of independent sequences 1/√n, a binomial fraction √(p(1−p)/n).
 */
class RandomStreamTest {
    private static final int N = 200_000;

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 123_456_789L, -1})
    void normalsWithinOneStreamHaveMeanZeroVarianceOneAndNoLagCorrelation(long seed) {
        RandomStream rng = RandomStream.of(seed).derive("test");
        long p = rng.particle(3);
        double[] z = new double[N];
        for (int c = 0; c < N; c++) {
            z[c] = RandomStream.normalAt(p, c);
            assertThat(Double.isFinite(z[c])).isTrue();
        }
        double mean = 0;
        for (double v : z) {
            mean += v;
        }
        mean /= N;
        double var = 0;
        for (double v : z) {
            var += (v - mean) * (v - mean);
        }
        var /= N - 1;
        assertThat(Math.abs(mean)).isLessThan(5 / Math.sqrt(N));
        assertThat(Math.abs(var - 1)).isLessThan(5 * Math.sqrt(2.0 / N));
        double[] a = java.util.Arrays.copyOfRange(z, 0, N - 1);
        double[] b = java.util.Arrays.copyOfRange(z, 1, N);
        assertThat(Math.abs(Moments.correlation(a, b))).isLessThan(5 / Math.sqrt(N - 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, -42})
    void normalsOfAdjacentParticlesAreUncorrelated(long seed) {
        RandomStream rng = RandomStream.of(seed);
        double[] a = new double[N];
        double[] b = new double[N];
        double[] c = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = rng.normal(i, 0);
            b[i] = rng.normal(i + 1, 0);
            c[i] = rng.normal(i, 1); // the next counter of the same particle
        }
        double bound = 5 / Math.sqrt(N);
        assertThat(Math.abs(Moments.correlation(a, b))).isLessThan(bound);
        assertThat(Math.abs(Moments.correlation(a, c))).isLessThan(bound);
        // streams derived for two purposes from one seed are independent too
        RandomStream u = rng.derive("a");
        RandomStream v = rng.derive("b");
        double[] x = new double[N];
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = u.normal(i, 0);
            y[i] = v.normal(i, 0);
        }
        assertThat(Math.abs(Moments.correlation(x, y))).isLessThan(bound);
    }

    @Test
    void normalTailFractionsMatchTheStandardNormalLaw() {
        RandomStream rng = RandomStream.of(99);
        // Φ(−1), Φ(0), Φ(1.96), Φ(3): standard normal CDF values from tables
        double[] q = {-1, 0, 1.96, 3};
        double[] phi = {0.15865525393145707, 0.5, 0.9750021048517795, 0.9986501019683699};
        int[] below = new int[q.length];
        for (int i = 0; i < N; i++) {
            double z = rng.normal(i, 5);
            for (int k = 0; k < q.length; k++) {
                if (z < q[k]) {
                    below[k]++;
                }
            }
        }
        for (int k = 0; k < q.length; k++) {
            double f = below[k] / (double) N;
            assertThat(Math.abs(f - phi[k])).as("P(z < %s)", q[k]).isLessThan(5 * Math.sqrt(phi[k] * (1 - phi[k]) / N));
        }
    }

    @Test
    void uniformsLieInUnitIntervalWithTheUniformMoments() {
        RandomStream rng = RandomStream.of(2024).derive("u");
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < N; i++) {
            double u = rng.uniform(i % 1000, i / 1000);
            assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
            s += u;
            s2 += u * u;
        }
        double mean = s / N;
        double var = s2 / N - mean * mean;
        // SE of the mean √(1/12/n); of the variance √((1/80 − 1/144)/n) (fourth central moment of U(0,1) is 1/80)
        assertThat(Math.abs(mean - 0.5)).isLessThan(5 * Math.sqrt(1.0 / 12 / N));
        assertThat(Math.abs(var - 1.0 / 12)).isLessThan(5 * Math.sqrt((1.0 / 80 - 1.0 / 144) / N));
    }

    @Test
    void drawsArePureFunctionsOfSeedParticleAndCounter() {
        RandomStream a = RandomStream.of(42).derive("prior");
        RandomStream b = RandomStream.of(42).derive("prior");
        for (int i = 0; i < 50; i++) {
            for (int c = 0; c < 5; c++) {
                assertThat(a.normal(i, c)).isEqualTo(b.normal(i, c));
                assertThat(a.uniform(i, c)).isEqualTo(b.uniform(i, c));
                assertThat(RandomStream.normalAt(a.particle(i), c)).isEqualTo(a.normal(i, c));
                assertThat(RandomStream.bitsAt(a.particle(i), c)).isEqualTo(RandomStream.bitsAt(b.particle(i), c));
            }
        }
        // evaluation order does not matter: reversed order gives the same numbers
        double[] fwd = new double[100];
        double[] rev = new double[100];
        for (int i = 0; i < 100; i++) {
            fwd[i] = a.normal(i, 7);
        }
        for (int i = 99; i >= 0; i--) {
            rev[i] = a.normal(i, 7);
        }
        assertThat(rev).containsExactly(fwd);
    }

    @Test
    void fillNormalUsesParticleIndexAndCounterSoBatchesDoNotMatter() {
        RandomStream rng = RandomStream.of(5).derive("noise");
        Batch big = Batch.zeros(20, 3);
        rng.fillNormal(big, 0, 10);
        Batch part = Batch.zeros(5, 3);
        rng.fillNormal(part, 12, 10);
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(big.get(i, j)).isEqualTo(rng.normal(i, 10 + j));
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat(part.row(i)).containsExactly(big.row(12 + i));
        }
    }

    @Test
    void derivedStreamsDifferByPurposeAndSeed() {
        RandomStream root = RandomStream.of(1);
        Set<Long> firstBits = new HashSet<>();
        RandomStream[] streams = {root, root.derive("a"), root.derive("b"), root.derive("ab"), root.derive("ba"),
            root.derive(""), root.derive(0), root.derive(1), RandomStream.of(2), RandomStream.of(2).derive("a"),
            root.derive("a").derive("b"), root.derive("b").derive("a")};
        for (RandomStream s : streams) {
            firstBits.add(RandomStream.bitsAt(s.particle(0), 0));
        }
        assertThat(firstBits).hasSize(streams.length);
        assertThat(root.derive("a").normal(3, 4)).isEqualTo(RandomStream.of(1).derive("a").normal(3, 4));
        assertThat(root.derive("a").normal(3, 4)).isNotEqualTo(root.derive("b").normal(3, 4));
        // particles of one stream are distinct
        Set<Long> particles = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            particles.add(root.particle(i));
        }
        assertThat(particles).hasSize(10_000);
    }
}
