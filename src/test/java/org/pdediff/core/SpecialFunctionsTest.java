package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {
    // Reference values of erf/erfc to 16 digits (Abramowitz & Stegun tables / any arbitrary-precision CAS).
    @Test
    void matchesReferenceValuesToNearMachinePrecision() {
        assertThat(SpecialFunctions.erf(0.5)).isCloseTo(0.5204998778130465, within(2e-16));
        assertThat(SpecialFunctions.erf(1.0)).isCloseTo(0.8427007929497149, within(2e-16));
        // below 2.5, erfc = 1 − erf: absolute error about one ulp of 1
        assertThat(SpecialFunctions.erfc(1.0)).isCloseTo(0.15729920705028513, within(3e-16));
        assertThat(SpecialFunctions.erfc(-1.0)).isCloseTo(1.8427007929497149, within(4e-16));
        assertThat(SpecialFunctions.erfc(3.0) / 2.209049699858544e-05).isCloseTo(1, within(1e-14));
        assertThat(SpecialFunctions.erfc(5.0) / 1.5374597944280349e-12).isCloseTo(1, within(1e-14));
        assertThat(SpecialFunctions.erfc(10.0) / 2.088487583762545e-45).isCloseTo(1, within(1e-14));
        assertThat(SpecialFunctions.erf(0)).isZero();
        assertThat(SpecialFunctions.erf(-0.7)).isEqualTo(-SpecialFunctions.erf(0.7));
    }

    @Test
    void bothBranchesAgreeAtTheSwitchPoint() {
        // The series (x < 2.5) and the continued fraction (x >= 2.5) approximate the same function: at the switch they
        // must agree to rounding, relative to erfc(2.5) = 4.07e-4.
        double below = SpecialFunctions.erfc(Math.nextDown(2.5));
        double above = SpecialFunctions.erfc(2.5);
        assertThat(below / above).isCloseTo(1, within(1e-12));
    }

    @Test
    void intervalProbabilitiesAreAccurateInBothTails() {
        assertThat(Normal.interval(-1, 1)).isCloseTo(0.6826894921370859, within(2e-16));
        // far tail: P(8 < Z < 9) = Q(8) − Q(9), Q(8) = 6.22096057427178e-16, Q(9) = 1.1285884059538408e-19
        assertThat(Normal.interval(8, 9) / (6.22096057427178e-16 - 1.1285884059538408e-19)).isCloseTo(1, within(1e-12));
        assertThat(Normal.interval(-9, -8)).isEqualTo(Normal.interval(8, 9));
    }

    @Test
    void logGammaMatchesFactorialsAndHalfIntegers() {
        // Γ(n) = (n − 1)!, Γ(½) = √π, Γ(3/2) = √π/2; Lanczos g = 7, n = 9 is good to 1e-13 relative (absolute near 1, 2)
        assertThat(SpecialFunctions.logGamma(1)).isCloseTo(0, within(1e-14));
        assertThat(SpecialFunctions.logGamma(2)).isCloseTo(0, within(1e-14));
        assertThat(SpecialFunctions.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-12));
        assertThat(SpecialFunctions.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
        assertThat(SpecialFunctions.logGamma(1.5)).isCloseTo(0.5 * Math.log(Math.PI) - Math.log(2), within(1e-13));
        // reflection branch: Γ(0.25)Γ(0.75) = π/sin(π/4)
        assertThat(SpecialFunctions.logGamma(0.25) + SpecialFunctions.logGamma(0.75))
                .isCloseTo(Math.log(Math.PI / Math.sin(Math.PI / 4)), within(1e-13));
    }
}
