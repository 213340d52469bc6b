package org.pdediff.sde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.Moments;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.GaussianMixture;

/**
 * Sample-level oracle without Euler–Maruyama error: x₀ from the blob data set (law known), x_t = α x₀ + σ z drawn
 * exactly from the kernel M1. Then E x_t = α E x₀ and Cov x_t = α² Cov x₀ + σ² I. Checked within 5 standard errors
 * (plug-in fourth moments, since x_t is a mixture, not a Gaussian).
 */
class ForwardMarginalSampleTest {
    static Stream<Object[]> cases() {
        return Stream.of(new Object[] {new VpSde(), 0.3}, new Object[] {new VpSde(), 0.05}, new Object[] {new SubVpSde(), 0.4},
                new Object[] {new VeSde(), 0.5}, new Object[] {new OuSde(1, 1, 10), 0.7}, new Object[] {new HeatSde(), 0.25});
    }

    @ParameterizedTest
    @MethodSource("cases")
    void exactKernelSamplesHaveTheClosedFormMoments(Sde sde, double t) {
        DataSet data = DataSets.parse("blob:n=20000,seed=3");
        GaussianMixture law = data.law().orElseThrow();
        Batch x0 = data.points();
        int n = x0.size();
        int d = x0.dim();
        Batch x = Batch.zeros(n, d);
        RandomStream.of(11).derive("forward").fillNormal(x, 0, 0);
        double a = sde.alpha(t);
        double s = sde.sigma(t);
        for (int k = 0; k < n * d; k++) {
            x.data()[k] = a * x0.data()[k] + s * x.data()[k];
        }
        double[] mean = x.mean();
        double[] cov = x.covariance();
        double[] seM = Moments.meanStdErr(x);
        double[] seC = Moments.covStdErr(x);
        double[] mu = law.mean();
        double[] c0 = law.covariance();
        for (int j = 0; j < d; j++) {
            assertThat(Math.abs(mean[j] - a * mu[j])).as("mean %d", j).isLessThan(5 * seM[j]);
        }
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                double expected = a * a * c0[p * d + q] + (p == q ? s * s : 0);
                assertThat(Math.abs(cov[p * d + q] - expected)).as("cov %d%d", p, q).isLessThan(5 * seC[p * d + q]);
            }
        }
    }
}
