package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

/**
 * Convergence orders of the probability-flow ODE solvers against the closed-form flow of Gaussian data (M7): the
 * global error of a method of order p on a smooth problem behaves like C·h^p, so halving h divides it by 2^p. We
 * require the observed order log₂(e_K/e_{2K}) to lie within ±0.25 of p (±0.35 for RK4, whose errors approach
 * rounding sooner), on grids fine enough to be in the asymptotic regime.
 */
class OdeConvergenceTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(SamplerKind.EULER, 1, 80),
                Arguments.of(SamplerKind.HEUN, 2, 40),
                Arguments.of(SamplerKind.RK4, 4, 20));
    }

    static Stream<Sde> sdes() {
        return Stream.of(new VpSde(), new SubVpSde(), new VeSde(0.01, 5, 1), new OuSde(1, Math.sqrt(2), 3), new HeatSde(1));
    }

    private static double error(GaussianOracle o, SamplerKind kind, int steps, double eps) {
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(steps).eps(eps).build();
        double T = o.sde.T();
        Batch start = o.sampleAt(T, 64, 3);
        SampleResult r = Samplers.create(opts).sample(o.score, start, 0);
        assertThat(r.nfe()).isEqualTo((long) steps * switch (kind) {
            case EULER -> 1;
            case HEUN -> 2;
            default -> 4;
        });
        return GaussianOracle.maxAbsDiff(r.samples(), o.flow(start, T, eps));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void observedOrderMatchesTheory(SamplerKind kind, int order, int k0) {
        sdes().forEach(sde -> {
            GaussianOracle o = new GaussianOracle(sde, new double[] {0.7, -0.4}, 0.5);
            double eps = 0.05;
            double e1 = error(o, kind, k0, eps);
            double e2 = error(o, kind, 2 * k0, eps);
            double e3 = error(o, kind, 4 * k0, eps);
            double p1 = Math.log(e1 / e2) / Math.log(2);
            double p2 = Math.log(e2 / e3) / Math.log(2);
            double tol = order == 4 ? 0.35 : 0.25;
            assertThat(p2).as("%s on %s: errors %g %g %g", kind, sde.spec(), e1, e2, e3).isBetween(order - tol, order + tol);
            assertThat(p1).as("%s on %s (coarser pair)", kind, sde.spec()).isGreaterThan(order - 0.6);
        });
    }

    @Test
    void dormandPrinceMeetsItsTolerance() {
        for (Sde sde : sdes().toList()) {
            GaussianOracle o = new GaussianOracle(sde, new double[] {0.7, -0.4}, 0.5);
            double prev = Double.POSITIVE_INFINITY;
            long prevNfe = 0;
            for (double tol : new double[] {1e-4, 1e-6, 1e-8}) {
                SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.DP45).eps(0.01).rtol(tol).atol(tol).build();
                Batch start = o.sampleAt(sde.T(), 32, 5);
                SampleResult r = Samplers.create(opts).sample(o.score, start, 0);
                double err = GaussianOracle.maxAbsDiff(r.samples(), o.flow(start, sde.T(), 0.01));
                // a 5(4) pair with local extrapolation keeps the global error within a modest multiple of the
                // tolerance on this smooth, non-stiff problem; 50× is generous but still fails a broken controller.
                assertThat(err).as("%s tol %g", sde.spec(), tol).isLessThan(50 * tol);
                assertThat(err).isLessThan(prev);
                assertThat(r.nfe()).isGreaterThan(prevNfe);
                assertThat(r.nfe()).isEqualTo(1 + 6L * (r.steps() + r.rejected()));
                prev = err;
                prevNfe = r.nfe();
            }
        }
    }

    @Test
    void dormandPrinceRecordsExactlyAtTheRequestedTimes() {
        GaussianOracle o = new GaussianOracle(new VpSde(), new double[] {0.3, 0.1}, 0.4);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.DP45).eps(1e-3).rtol(1e-8).atol(1e-8)
                .recordTimes(1.0, 0.5, 0.1).build();
        Batch start = o.sampleAt(1, 16, 2);
        SampleResult r = Samplers.create(opts).sample(o.score, start, 0);
        assertThat(r.trajectory()).extracting(Snapshot::t).containsExactly(1.0, 0.5, 0.1);
        for (Snapshot s : r.trajectory()) {
            assertThat(GaussianOracle.maxAbsDiff(s.x(), o.flow(start, 1, s.t()))).isLessThan(1e-6);
        }
    }
}
