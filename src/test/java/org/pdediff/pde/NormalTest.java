package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalTest {
    // Reference values of erf/erfc to 16 digits (Abramowitz & Stegun tables / any arbitrary-precision CAS).
    @Test
    void matchesReferenceValuesToNearMachinePrecision() {
        assertThat(Normal.erf(0.5)).isCloseTo(0.5204998778130465, within(2e-16));
        assertThat(Normal.erf(1.0)).isCloseTo(0.8427007929497149, within(2e-16));
        // below 2.5, erfc = 1 − erf: absolute error about one ulp of 1
        assertThat(Normal.erfc(1.0)).isCloseTo(0.15729920705028513, within(3e-16));
        assertThat(Normal.erfc(-1.0)).isCloseTo(1.8427007929497149, within(4e-16));
        assertThat(Normal.erfc(3.0) / 2.209049699858544e-05).isCloseTo(1, within(1e-14));
        assertThat(Normal.erfc(5.0) / 1.5374597944280349e-12).isCloseTo(1, within(1e-14));
        assertThat(Normal.erfc(10.0) / 2.088487583762545e-45).isCloseTo(1, within(1e-14));
        assertThat(Normal.erf(0)).isZero();
        assertThat(Normal.erf(-0.7)).isEqualTo(-Normal.erf(0.7));
    }

    @Test
    void bothBranchesAgreeAtTheSwitchPoint() {
        // The series (x < 2.5) and the continued fraction (x >= 2.5) approximate the same function: at the switch they
        // must agree to rounding, relative to erfc(2.5) = 4.07e-4.
        double below = Normal.erfc(Math.nextDown(2.5));
        double above = Normal.erfc(2.5);
        assertThat(below / above).isCloseTo(1, within(1e-12));
    }

    @Test
    void intervalProbabilitiesAreAccurateInBothTails() {
        assertThat(Normal.interval(-1, 1)).isCloseTo(0.6826894921370859, within(2e-16));
        // far tail: P(8 < Z < 9) = Q(8) − Q(9), Q(8) = 6.22096057427178e-16, Q(9) = 1.1285884059538408e-19
        assertThat(Normal.interval(8, 9) / (6.22096057427178e-16 - 1.1285884059538408e-19)).isCloseTo(1, within(1e-12));
        assertThat(Normal.interval(-9, -8)).isEqualTo(Normal.interval(8, 9));
    }
}
