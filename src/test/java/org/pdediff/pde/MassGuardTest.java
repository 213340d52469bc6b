package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.sde.Sdes;

/** The grid solvers never return a non-finite density or one that lost mass without saying so. */
class MassGuardTest {
    private static double[] uniform(Grid g) {
        double[] p = new double[g.cells()];
        java.util.Arrays.fill(p, 1.0 / (g.cells() * g.cellVolume()));
        return p;
    }

    @Test
    void roundingPassesAndRealLossOrNonFiniteValuesStopWithStepAndTime() {
        Grid g = Grid.of2d(-2, 2, 16);
        double[] p0 = uniform(g);
        MassGuard guard = new MassGuard("test solve", g, p0);
        double[] p = p0.clone();
        p[3] *= 1 + 1e-12; // rounding-sized: a relative mass change of ~4e-15
        assertThatCode(() -> guard.check(p, 1, 0.5)).doesNotThrowAnyException();
        double[] lost = p0.clone();
        lost[0] = 0; // 1/256 of the mass
        assertThatThrownBy(() -> guard.check(lost, 7, 0.25)).isInstanceOf(NumericalFailureException.class)
                .hasMessageContaining("mass drifted").hasMessageContaining("step 7").hasMessageContaining("t = 0.25");
        double[] nan = p0.clone();
        nan[5] = Double.NaN;
        assertThatThrownBy(() -> guard.check(nan, 3, 0.125)).isInstanceOf(NumericalFailureException.class)
                .hasMessageContaining("non-finite").hasMessageContaining("cell 5").hasMessageContaining("step 3");
        double[] inf = p0.clone();
        inf[1] = Double.POSITIVE_INFINITY;
        inf[2] = Double.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> guard.check(inf, 1, 1)).isInstanceOf(NumericalFailureException.class)
                .hasMessageContaining("cell 1");
    }

    @Test
    void aSolveFedANonFiniteDensityFailsAtItsFirstStep() {
        Grid g = Grid.of1d(-3, 3, 32);
        double[] p0 = uniform(g);
        p0[10] = Double.NaN;
        GridDensity start = new GridDensity(g, p0, 0.01);
        assertThatThrownBy(() -> ForwardFokkerPlanck.builder(Sdes.parse("vp")).steps(10).build().solve(start, 0.5))
                .isInstanceOf(NumericalFailureException.class).hasMessageContaining("forward Fokker-Planck")
                .hasMessageContaining("step 1");
        // and a healthy solve passes the guard on every step (mass conserved to rounding)
        GridDensity ok = new GridDensity(g, uniform(g), 0.01);
        assertThat(ForwardFokkerPlanck.builder(Sdes.parse("vp")).steps(10).build().solve(ok, 0.5).last().mass())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
