package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * The bs23 pair on the closed-form flow of Gaussian data (M7), as dp45 in {@link OdeConvergenceTest}: the error falls
 * with the tolerance and stays within a modest multiple of it (a 3(2) pair with local extrapolation on a smooth,
 * non-stiff problem; 50× is generous but fails a broken controller or tableau), and the FSAL cost is
 * 1 + 3 evaluations per attempted step. For the same tolerance it needs more steps than dp45.
 */
class BogackiShampineTest {
    @Test
    void meetsItsToleranceAndCostsThreeEvaluationsPerStep() {
        for (Sde sde : new Sde[] {new VpSde(), new VeSde(0.01, 5, 1), new OuSde(1, Math.sqrt(2), 3)}) {
            GaussianOracle o = new GaussianOracle(sde, new double[] {0.7, -0.4}, 0.5);
            double prev = Double.POSITIVE_INFINITY;
            for (double tol : new double[] {1e-3, 1e-5, 1e-7}) {
                SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.BS23).eps(0.01).rtol(tol).atol(tol).build();
                Batch start = o.sampleAt(sde.T(), 32, 5);
                SampleResult r = Samplers.create(opts).sample(o.score, start, 0);
                double err = GaussianOracle.maxAbsDiff(r.samples(), o.flow(start, sde.T(), 0.01));
                assertThat(err).as("%s tol %g", sde.spec(), tol).isLessThan(50 * tol);
                assertThat(err).isLessThan(prev);
                assertThat(r.nfe()).isEqualTo(1 + 3L * (r.steps() + r.rejected()));
                SampleResult dp = Samplers.create(opts.toBuilder().kind(SamplerKind.DP45).build()).sample(o.score, start, 0);
                assertThat(r.steps()).isGreaterThan(dp.steps());
                prev = err;
            }
        }
    }
}
