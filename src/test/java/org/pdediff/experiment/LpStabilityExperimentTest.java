package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.Batch;
import org.pdediff.core.ProgressListener;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.sde.HeatSde;

/** The quick mode of the C4 experiment confirms its claims with tolerances from the math. */
@Tag("slow")
class LpStabilityExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void quickConfirmsC4() throws Exception {
        Experiments.run(new LpStabilityExperiment(), LpStabilityExperiment.Params.defaults(true),
                new ExperimentContext(tmp, true, 0, ProgressListener.NONE));
        JsonNode r = ReportFiles.check(tmp, "lp-stability");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        double kappa = r.get("kappa").asDouble();
        // κ = (h/σ(t_end))² is the unit-constant second-order error scale; it must be small for the checks to mean anything
        assertThat(kappa).isLessThan(0.2);
        for (JsonNode row : r.get("growth")) {
            // C4: growth ≤ (T/(T−τ))^{(d/2)(1−1/p)}, up to the scheme's relative error κ
            assertThat(row.get("max_ratio_to_bound").asDouble()).as(row.get("start") + " " + row.get("p")).isLessThanOrEqualTo(1 + kappa);
        }
        // sharp for one datum: p = 1 is mass (conserved to rounding); p = 2, ∞ meet the bound within κ and the gap
        // is a discretisation error that at least halves with h (second-order scheme)
        JsonNode sharp = r.get("sharpness");
        assertThat(sharp.get("l1").get("gap").asDouble()).isLessThan(1e-12);
        for (String p : new String[] {"l2", "linf"}) {
            double gap = sharp.get(p).get("gap").asDouble();
            assertThat(gap).as(p).isLessThanOrEqualTo(kappa);
            assertThat(gap).as(p).isLessThanOrEqualTo(0.5 * sharp.get(p).get("gap_coarse").asDouble());
        }
        JsonNode pert = r.get("perturbation");
        double[] deltas = toArray(pert.get("deltas"));
        for (String p : new String[] {"l1", "l2", "linf"}) {
            double[] dist = toArray(pert.get(p));
            double[] bound = toArray(pert.get("duhamel_constant").get(p));
            double[] quad = toArray(pert.get("duhamel_quadrature_error").get(p));
            for (int j = 0; j < deltas.length; j++) {
                assertThat(dist[j]).as("perturbation moves the law, %s δ=%s", p, deltas[j]).isPositive();
                // Duhamel: ‖w_δ − w₀‖_p ≤ δ·B_p (quadrature error added; scheme error factor 1 + κ)
                assertThat(dist[j]).as("%s δ=%s", p, deltas[j]).isLessThanOrEqualTo(deltas[j] * (bound[j] + quad[j]) * (1 + kappa));
            }
            // linear growth: ‖e(δ')‖/‖e(δ)‖ = δ'/δ up to the quadratic remainder, 5% at these δ
            for (JsonNode ratio : pert.get("normalised_ratios").get(p)) {
                assertThat(ratio.asDouble()).as(p).isCloseTo(1, within(0.05));
            }
            assertThat(pert.get("fitted_constant").get(p).asDouble()).isPositive();
        }
        JsonNode kl = r.get("kl");
        double[] sde = toArray(kl.get("sde"));
        double[] ode = toArray(kl.get("ode"));
        // KL constant along the exact ODE: the drift is a discretisation error, at least halving with h
        assertThat(kl.get("ode_drift").asDouble()).isLessThanOrEqualTo(0.5 * kl.get("ode_drift_coarse").asDouble());
        // non-increasing along the exact SDE: here strictly, since the start is not p_T (Fisher information > 0)
        for (int i = 1; i < sde.length; i++) {
            assertThat(sde[i]).isLessThan(sde[i - 1]);
        }
        assertThat(sde[sde.length - 1]).isLessThan(ode[ode.length - 1] - kl.get("ode_drift").asDouble());
    }

    @Test
    void perturbedScoreAddsDeltaPhi() {
        HeatSde sde = new HeatSde(1);
        FiniteDataScore exact = new FiniteDataScore(sde, Batch.ofRows(new double[] {0.5, -0.5}, new double[] {-1, 1}));
        Batch x = Batch.ofRows(new double[] {0.3, 2.0}, new double[] {-1.2, 0.7});
        Batch s = exact.score(x, 0.4);
        Batch sd = new LpStabilityExperiment.PerturbedScore(exact, 0.25).score(x, 0.4);
        for (int i = 0; i < 2; i++) {
            assertThat(sd.get(i, 0) - s.get(i, 0)).isCloseTo(0.25 * Math.sin(x.get(i, 1)), within(1e-15));
            assertThat(sd.get(i, 1) - s.get(i, 1)).isCloseTo(0.25 * Math.cos(x.get(i, 0)), within(1e-15));
        }
    }

    @Test
    void trapezoidRichardsonEstimateIsExactForQuadratics() {
        // ∫₀¹ x² dx = 1/3; the trapezoid error is −(b−a)h²f''/12 exactly for quadratics, and (T_h − T_{2h})/3 equals it
        int n = 8;
        double[] f = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            f[i] = (double) i * i / (n * n);
        }
        double[] tr = LpStabilityExperiment.trapezoid(f, 1.0 / n);
        assertThat(tr[0] - 1.0 / 3).isCloseTo(1.0 / (6 * n * n), within(1e-15));
        assertThat(tr[1]).isCloseTo(Math.abs(tr[0] - 1.0 / 3), within(1e-15));
    }

    @Test
    void optionsOutOfRangeExitTwo() {
        assertThat(Main.execute("experiment", "lp-stability", "--t-end", "5", "--out", tmp.resolve("a").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "lp-stability", "--deltas", "0.1,0.05", "--out", tmp.resolve("b").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "lp-stability", "--records", "5", "--out", tmp.resolve("c").toString())).isEqualTo(2);
    }

    static double[] toArray(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
