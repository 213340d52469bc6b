package org.pdediff.pde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.data.DataSets;
import org.pdediff.data.GaussianMixture;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.score.OneDatumScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;
import org.pdediff.sde.SubVpSde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

class GridDiagnosticsTest {
    static final GaussianMixture LAW2 = new GaussianMixture(new double[] {0.3, 0.7},
            new double[][] {{-1, 0.5}, {0.8, -0.2}}, new double[][] {{0.09, 0, 0, 0.04}, {0.25, 0.05, 0.05, 0.16}});

    @Test
    void gridScoreOfTheExactLawMatchesTheExactScoreAtSecondOrder() {
        Sde sde = new VpSde();
        double t = 0.2;
        ScoreModel exact = new GaussianMixtureScore(sde, LAW2);
        MixtureLaw law = MixtureLaw.atTime(LAW2, sde, t);
        double[] err = new double[3];
        for (int k = 0; k < 3; k++) {
            Grid g = Grid.of2d(-4, 4, 40 << k);
            GridDensity p = law.cellAverages(g, t);
            Batch grid = GridCalculus.score(p);
            Batch ref = exact.score(g.centres(), t);
            // p-weighted RMS difference (the tails, where log p is huge and p tiny, carry no weight)
            double s = 0;
            for (int c = 0; c < g.cells(); c++) {
                for (int j = 0; j < 2; j++) {
                    double dlt = grid.get(c, j) - ref.get(c, j);
                    s += p.values()[c] * dlt * dlt;
                }
            }
            err[k] = Math.sqrt(s * g.cellVolume());
        }
        assertThat(ForwardFokkerPlanckTest.order(err[0], err[1])).isGreaterThan(1.8);
        assertThat(ForwardFokkerPlanckTest.order(err[1], err[2])).isGreaterThan(1.8);
    }

    /**
     * The residual is M5 evaluated pointwise at the cell centres by {@link org.pdediff.score.ScoreDiagnostics} (central
     * differences, steps 1e-3σ and 1e-3·min(t, σ²/g²): relative truncation O(10⁻⁶)), so for an exact score it is at
     * that level whatever the grid, while a wrong score keeps an O(ε) residual; the box norms are quadratures of smooth
     * functions and settle as h shrinks.
     */
    @Test
    void residualOfAnExactScoreIsAtTheDifferenceErrorAndAWrongScoreIsNot() {
        Sde sde = new SubVpSde();
        double t = 0.3;
        ScoreModel exact = new GaussianMixtureScore(sde, LAW2);
        // a non-conservative perturbation ε·(−x₂, x₁): no density has it as a score, so its residual stays O(ε)
        ScoreModel rotated = new Perturbed(exact, 0.05);
        double[] err = new double[3];
        double[] bad = new double[3];
        for (int k = 0; k < 3; k++) {
            Grid g = Grid.of2d(-4, 4, 32 << k);
            GridDensity w = MixtureLaw.atTime(LAW2, sde, t).cellAverages(g, t);
            err[k] = GridDiagnostics.residual(exact, g, t, w).weighted();
            bad[k] = GridDiagnostics.residual(rotated, g, t, w).weighted();
        }
        // the perturbation enters the residual through ∇(g² ε s·rot + ½g²ε²|x|²): O(ε) = O(0.05), independent of h;
        // the exact score's is the difference error, O(10⁻⁶) of the terms: at least 10³ below
        for (int k = 0; k < 3; k++) {
            assertThat(bad[k]).as("%s %s", err[k], bad[k]).isGreaterThan(1e3 * err[k]);
        }
        assertThat(bad[2] / bad[1]).isCloseTo(1, within(0.05));
    }

    @Test
    void residualAndLiYauMarginNeedNoClosedFormsOfTheModel() {
        // The same exact score without its closed-form Jacobian: the residual only ever evaluates the score (so it is
        // the same to the last bit), and the Li–Yau margin takes the Jacobian by central differences, step 1e-3σ
        // (truncation ~1e-6 relative to the Jacobian's scale 1/σ²).
        Sde sde = new VpSde();
        ScoreModel exact = new GaussianMixtureScore(sde, LAW2);
        ScoreModel plain = new Perturbed(exact, 0);
        Grid g = Grid.of2d(-4, 4, 48);
        GridDensity w = MixtureLaw.atTime(LAW2, sde, 0.3).cellAverages(g, 0.3);
        double a = GridDiagnostics.residual(exact, g, 0.3, w).weighted();
        double b = GridDiagnostics.residual(plain, g, 0.3, w).weighted();
        assertThat(b).isEqualTo(a);
        double[] ma = GridDiagnostics.liYauMargin(exact, g, 0.3);
        double[] mb = GridDiagnostics.liYauMargin(plain, g, 0.3);
        double scale = 1 / sde.sigma2(0.3);
        for (int c = 0; c < ma.length; c++) {
            assertThat(mb[c]).isCloseTo(ma[c], within(1e-5 * scale));
        }
    }

    @Test
    void liYauMarginIsNonNegativeForExactScoresAndZeroForOneDatum() {
        Batch moons = DataSets.parse("moons:n=200").points();
        for (Sde sde : new Sde[] {new VpSde(), new VeSde()}) {
            for (double t : new double[] {0.01, 0.1, 0.5}) {
                Grid g = Grid.of2d(-3, 3, 40);
                double inv = 1 / sde.sigma2(t);
                // rounding: the margin is a difference of numbers of size 1/σ² (and Cov_π/σ⁴ terms): allow 1e-9/σ²
                double tol = 1e-9 * inv;
                assertThat(GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(new FiniteDataScore(sde, moons), g, t)))
                        .isGreaterThanOrEqualTo(-tol);
                assertThat(GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(new GaussianMixtureScore(sde, LAW2), g, t)))
                        .isGreaterThanOrEqualTo(-tol);
                double[] one = GridDiagnostics.liYauMargin(new OneDatumScore(sde, new double[] {0.3, -0.2}), g, t);
                for (double m : one) {
                    assertThat(m).isCloseTo(0, within(tol));
                }
            }
        }
    }

    @Test
    void liYauMarginFlagsAnOverConfidentScore() {
        Sde sde = new VpSde();
        double t = 0.2;
        // s = −2x/σ²: ∇s = −2I/σ², margin −1/σ² everywhere; no data law has this score (M14)
        ScoreModel sharp = new Perturbed(new OneDatumScore(sde, new double[] {0, 0}), 0) {
            @Override
            public void score(Batch x, double time, Batch out) {
                double s2 = sde.sigma2(time);
                for (int k = 0; k < x.data().length; k++) {
                    out.data()[k] = -2 * x.data()[k] / s2;
                }
            }
        };
        double[] m = GridDiagnostics.liYauMargin(sharp, Grid.of2d(-2, 2, 10), t);
        for (double v : m) {
            assertThat(v).isCloseTo(-1 / sde.sigma2(t), within(1e-6 / sde.sigma2(t)));
        }
    }

    @Test
    void gridLiYauMarginOfTheForwardSolutionIsNonNegative() {
        Sde sde = new VpSde();
        GaussianMixture law = DataSets.parse("gmm:k=4,std=0.2,n=10").law().orElseThrow();
        Grid g = Grid.of2d(-6, 6, 144);
        GridDensity p0 = ForwardFokkerPlanck.exactInitial(law, sde, g, 0.01);
        for (GridDensity p : ForwardFokkerPlanck.builder(sde).steps(200).build().solve(p0, 0.1, 0.5, 1).densities()) {
            // M14: the exact margin is ≥ 0 (it tends to 0 in the tails of a mixture); the grid Hessian of the
            // solution carries an O(h²) error, a small fraction of the scale 1/σ² of the bound: allow 2% of it
            double scale = 1 / sde.sigma2(p.t());
            assertThat(GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(p, sde, 1e-6))).as("t=%s", p.t())
                    .isGreaterThan(-0.02 * scale);
        }
    }

    /** A score plus ε·(−x₂, x₁), with no closed-form derivatives. */
    static class Perturbed implements ScoreModel {
        private final ScoreModel base;
        private final double eps;

        Perturbed(ScoreModel base, double eps) {
            this.base = base;
            this.eps = eps;
        }

        @Override
        public Sde sde() {
            return base.sde();
        }

        @Override
        public int dim() {
            return 2;
        }

        @Override
        public void score(Batch x, double t, Batch out) {
            base.score(x, t, out);
            for (int i = 0; i < x.size(); i++) {
                out.set(i, 0, out.get(i, 0) - eps * x.get(i, 1));
                out.set(i, 1, out.get(i, 1) + eps * x.get(i, 0));
            }
        }

        @Override
        public String describe() {
            return "perturbed";
        }
    }
}
