package org.pdediff.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.InvalidInputException;

/**
 * DDPM (M2) converges to vp with first order. With Δ = T/K, t_k = kΔ, β_k = β(t_k)Δ:
 * log ᾱ_K = Σ log(1 − β_k) = −Σβ(t_k)Δ − ½Σβ(t_k)²Δ² + O(Δ²). For linear β the right Riemann sum is
 * ∫β + ½Δ(β(T) − β(0)) exactly, and ½Σβ²Δ² = ½Δ∫β² + O(Δ²), so
 * log(ᾱ_K/α(T)²) = −cΔ + O(Δ²), c = ½(β(T) − β(0)) + ½∫₀ᵀβ².
 */
class DdpmScheduleTest {
    private static double c(VpSde sde) {
        double T = sde.T();
        double b0 = sde.bmin();
        double slope = (sde.bmax() - sde.bmin());
        // ∫₀ᵀ (b0 + slope t)² dt = b0² T + b0 slope T² + slope² T³/3
        double intBeta2 = b0 * b0 * T + b0 * slope * T * T + slope * slope * T * T * T / 3;
        return 0.5 * (sde.beta(T) - sde.beta(0)) + 0.5 * intBeta2;
    }

    private static double error(VpSde sde, int k) {
        DdpmSchedule s = new DdpmSchedule(sde, k);
        double a2 = sde.alpha(sde.T()) * sde.alpha(sde.T());
        return Math.abs(s.alphaBar(k) - a2) / a2;
    }

    @ParameterizedTest
    @ValueSource(doubles = {20, 5})
    void alphaBarConvergesToAlphaSquaredWithFirstOrder(double bmax) {
        VpSde sde = new VpSde(0.1, bmax, 1);
        double cc = c(sde);
        int[] ks = {2000, 4000, 8000, 16000};
        for (int i = 0; i + 1 < ks.length; i++) {
            double ratio = error(sde, ks[i]) / error(sde, ks[i + 1]);
            // ratio = (1 − e^{−cΔ})/(1 − e^{−cΔ/2}) + O(Δ) = 2 − cΔ/2 + O(Δ²): within 0.1 of 2 once cΔ ≤ 0.04
            assertThat(ratio).as("e(%d)/e(%d)", ks[i], ks[i + 1]).isCloseTo(2, within(0.1));
        }
        // the leading constant: K·|ᾱ_K/α² − 1| = c − c²Δ/2 + O(Δ) corrections: 2 % covers c²Δ/2/c = cΔ/2 ≤ 0.25 %
        int k = 16000;
        assertThat(k * error(sde, k)).isCloseTo(cc, within(0.02 * cc));
    }

    @Test
    void scheduleEntriesFollowM2() {
        VpSde sde = new VpSde();
        int k = 1000;
        DdpmSchedule s = new DdpmSchedule(sde, k);
        assertThat(s.steps()).isEqualTo(k);
        assertThat(s.alphaBar(0)).isEqualTo(1);
        double prod = 1;
        for (int i = 1; i <= k; i++) {
            assertThat(s.time(i)).isCloseTo(i * sde.T() / k, within(1e-15));
            assertThat(s.beta(i)).isCloseTo(sde.beta(s.time(i)) * sde.T() / k, within(1e-15));
            prod *= 1 - s.beta(i);
            assertThat(s.alphaBar(i)).isCloseTo(prod, within(1e-14 * prod));
            assertThat(s.alphaBar(i)).isLessThan(s.alphaBar(i - 1));
        }
        // mid-way the same first-order agreement holds: |ᾱ_{K/2}/α(T/2)² − 1| ≤ c(T/2)Δ with c(T/2) < c(T)
        double a2 = sde.alpha(0.5) * sde.alpha(0.5);
        assertThat(Math.abs(s.alphaBar(k / 2) / a2 - 1)).isLessThan(c(sde) / k);
    }

    @Test
    void tooFewStepsOrNonPositiveStepsAreRejected() {
        // β_K = β(1)·(1/K) = 20/K: K = 10 and K = 20 give β_K ≥ 1
        assertThatThrownBy(() -> new DdpmSchedule(new VpSde(), 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new DdpmSchedule(new VpSde(), 20)).isInstanceOf(InvalidInputException.class);
        assertThat(new DdpmSchedule(new VpSde(), 21).steps()).isEqualTo(21);
        assertThatThrownBy(() -> new DdpmSchedule(new VpSde(), 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new DdpmSchedule(new VpSde(), -5)).isInstanceOf(InvalidInputException.class);
    }
}
