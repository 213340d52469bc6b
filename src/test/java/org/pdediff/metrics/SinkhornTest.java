package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;

class SinkhornTest {
    @Test
    void divergenceTendsToExactW2AsEpsilonShrinks() {
        int n = 12;
        Batch a = TestData.gaussian(n, 2, 0, 1, 21, "a");
        Batch b = TestData.gaussian(n, 2, 1, 0.5, 21, "b");
        double w = Hungarian.minCost(TestData.costMatrix(a, b, GroundCost.SQUARED_EUCLIDEAN)) / n;
        double prevErr = Double.POSITIVE_INFINITY;
        for (double eps : new double[] {0.3, 0.03, 0.003}) {
            Sinkhorn.Result r = Sinkhorn.builder().epsilon(eps).tolerance(1e-6).maxIterations(200_000).build()
                    .divergence(a, b);
            assertThat(r.converged()).isTrue();
            // |S_ε − W2²| ≤ ε log n (class comment); a marginal L1 error δ moves the dual value by at most about
            // δ·max C ≈ 1e-6 · 30: slack 1e-4.
            double err = Math.abs(r.divergence() - w);
            assertThat(err).isLessThanOrEqualTo(eps * Math.log(n) + 1e-4);
            // the entropic plan's transport cost is ≥ W2² (it is a coupling) and OT_ε ≥ its transport cost
            assertThat(r.transportCost()).isGreaterThanOrEqualTo(w * (1 - 1e-9));
            assertThat(r.entropicCost()).isGreaterThanOrEqualTo(r.transportCost() - 1e-4);
            prevErr = err;
        }
        assertThat(prevErr).isLessThan(0.003 * Math.log(n) + 1e-4);
    }

    @Test
    void divergenceOfASetWithItselfIsZero() {
        Batch a = TestData.gaussian(30, 3, 0, 1, 5, "a");
        Sinkhorn.Result r = Sinkhorn.builder().relativeEpsilon(0.05).tolerance(1e-9).maxIterations(100_000).build()
                .divergence(a, a);
        assertThat(r.converged()).isTrue();
        assertThat(Math.abs(r.divergence())).isLessThan(1e-6);
        assertThat(r.epsilon()).isGreaterThan(0);
    }

    @Test
    void translateByVHasDivergenceNearV2() {
        // W2²(μ, μ + v) = |v|² = 2, and W2² − ε log n ≤ S_ε ≤ W2² + ε log n
        Batch a = TestData.gaussian(25, 2, 0, 1, 8, "a");
        double eps = 0.01;
        Sinkhorn.Result r = Sinkhorn.builder().epsilon(eps).tolerance(1e-6).maxIterations(200_000).build()
                .divergence(a, TestData.translate(a, 1, 1));
        assertThat(r.converged()).isTrue();
        assertThat(Math.abs(r.divergence() - 2)).isLessThanOrEqualTo(eps * Math.log(25) + 1e-4);
    }
}
