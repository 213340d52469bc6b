package org.pdediff.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.GaussianMixture;
import org.pdediff.core.Grid;
import org.pdediff.pde.Grids;
import org.pdediff.pde.GridCalculus;
import org.pdediff.core.GridDensity;
import org.pdediff.pde.GridMetrics;
import org.pdediff.pde.MixtureLaw;
import org.pdediff.pde.ReverseFokkerPlanck;
import org.pdediff.report.HeatMapPlot;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.OneDatumScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.Sde;

/**
 * C4 [P1]: L^p stability of the model dynamics (M9) on the heat flow (σ² = 2t, g² = 2, so the reverse velocity of
 * the probability-flow ODE, λ = 0, is u = s), computed on a 2-D grid without particles
 * ({@link ReverseFokkerPlanck}, MUSCL transport). Data: a few random points in [−1.5, 1.5]², exact score (M10).
 * With τ = T − t:
 * <ul>
 * <li><b>Growth.</b> Any solution w of (M9) with the exact score obeys
 * ‖w(τ)‖_p ≤ (T/(T − τ))^{(d/2)(1 − 1/p)} ‖w(0)‖_p ({@link GridMetrics#lpGrowthBound}): the flow's Jacobian J obeys
 * d ln J/dτ = ∇·s ≥ −d/σ² = −d/(2(T − τ)) (M14) and ‖w(τ)‖_p^p = ∫|w(0)|^p J^{1−p}. Measured for the one-datum
 * solution from its exact p_T (equality: w(τ) = N(x₀, 2(T − τ)I)), for the data's score from the prior, from an
 * off-centre Gaussian, and for the (signed) difference of the two — by linearity the bound holds for differences of
 * generated laws.</li>
 * <li><b>Perturbed score.</b> s_δ = s + δφ with φ(x) = (sin x₂, cos x₁) (smooth, |φ|_∞ ≤ √2, divergence-free).
 * The difference e = w_δ − w₀ solves ∂_τe + ∇·(s e) = −δ∇·(φ w_δ), so by Duhamel and the growth bound
 * ‖e(τ)‖_p ≤ δ·B_p(δ), B_p = ∫₀^τ ((T − τ')/(T − τ))^{(d/2)(1−1/p)} ‖∇·(φ w_δ(τ'))‖_p dτ' (trapezoid on the
 * recorded times, with its Richardson error estimate added): the difference grows at most linearly in δ. The fitted
 * constant C_p (least squares through the origin of ‖e‖_p against δ) is reported beside B_p, and linearity is checked
 * by the ratio ‖e(δ')‖/‖e(δ)‖ ≈ δ'/δ.</li>
 * <li><b>KL.</b> KL(w(τ) ‖ p_{T−τ}) is constant along the exact ODE (both laws are pushed by the same flow map) and
 * non-increasing along the exact SDE (λ = 1; its time derivative is −∫w|∇ log(w/p)|² ≤ 0), measured from the
 * off-centre start against the closed-form p_t (M10) as cell averages.</li>
 * </ul>
 * Tolerances: the solver is second order, so its relative error is of size κ = (h/σ(t_end))² (unit constant; h the
 * cell width, σ(t_end) the narrowest width of the laws involved): growth factors may exceed the bound by the factor
 * 1 + κ and the sharp (one-datum) case must meet it within κ, with a gap that at least halves when h halves (the
 * gap is the scheme's error, order 2); the Duhamel inequality is checked with the same factor.
 * The ODE's KL drift is a discretisation artefact: it must shrink by at least half when h halves (order ≥ 1; the
 * scheme is order 2), and the SDE's KL may rise between records by at most that drift.
 */
public final class LpStabilityExperiment implements Experiment<LpStabilityExperiment.Params> {
    /**
     * @param points  training points (random in [−1.5, 1.5]², seeded by the run's seed)
     * @param T       heat horizon
     * @param tEnd    forward time where the reverse solves stop (τ_end = T − tEnd)
     * @param cells   grid cells per axis (the KL check also solves on cells/2)
     * @param records recorded times (even, for the Richardson estimate of the Duhamel quadrature)
     * @param deltas  perturbation sizes δ, increasing
     */
    public record Params(int points, double T, double tEnd, int cells, int records, double[] deltas) {
        public Params {
            if (points < 2 || !(T > 0) || !(tEnd > 0 && tEnd < T) || cells < 24 || cells > 1024 || records < 4
                    || records % 2 != 0 || deltas == null || deltas.length < 2) {
                throw new InvalidInputException("lp-stability: need points >= 2, T > 0, 0 < t-end < T, 24 <= cells <= 1024, "
                        + "even records >= 4 and at least two deltas");
            }
            for (int i = 0; i < deltas.length; i++) {
                if (!(deltas[i] > 0 && deltas[i] <= 1) || (i > 0 && !(deltas[i] > deltas[i - 1]))) {
                    throw new InvalidInputException("lp-stability: deltas must be increasing and in (0, 1], got " + Arrays.toString(deltas));
                }
            }
            deltas = deltas.clone();
        }

        public static Params defaults(boolean quick) {
            return quick ? new Params(5, 1, 0.25, 64, 12, new double[] {0.02, 0.04, 0.08})
                    : new Params(8, 1, 0.25, 192, 24, new double[] {0.01, 0.02, 0.04, 0.08, 0.16});
        }

        @Override
        public double[] deltas() {
            return deltas.clone();
        }
    }

    /**
     * A score plus a fixed smooth perturbation: s_δ(x, t) = s(x, t) + δ·φ(x) with φ(x) = (sin x₂, cos x₁) (2-D).
     * Not an exact score (C4's bound on growth does not apply to it); its effect on the generated law is what C4's
     * stability statement bounds.
     */
    public static final class PerturbedScore implements ScoreModel {
        private final ScoreModel base;
        private final double delta;

        public PerturbedScore(ScoreModel base, double delta) {
            if (base.dim() != 2) {
                throw new InvalidInputException("the perturbation (sin x2, cos x1) is 2-D; the score has d=" + base.dim());
            }
            this.base = base;
            this.delta = delta;
        }

        /** φ at each point (n × 2). */
        public static Batch phi(Batch x) {
            Batch f = Batch.zeros(x.size(), 2);
            for (int i = 0; i < x.size(); i++) {
                f.set(i, 0, Math.sin(x.get(i, 1)));
                f.set(i, 1, Math.cos(x.get(i, 0)));
            }
            return f;
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
                out.set(i, 0, out.get(i, 0) + delta * Math.sin(x.get(i, 1)));
                out.set(i, 1, out.get(i, 1) + delta * Math.cos(x.get(i, 0)));
            }
        }

        @Override
        public String describe() {
            return base.describe() + "+" + delta + "*(sin x2, cos x1)";
        }
    }

    @Override
    public String name() {
        return "lp-stability";
    }

    @Override
    public String claim() {
        return "C4: exact-score ODE solutions of M9 on heat grow in L^p at most by (T/(T-tau))^((d/2)(1-1/p)) (sharp for one datum); "
                + "a perturbed score moves the law at most linearly in the perturbation; KL to p_t is constant along the ODE and "
                + "non-increasing along the SDE";
    }

    private static final double[] PS = {1, 2, Double.POSITIVE_INFINITY};
    private static final String[] PN = {"l1", "l2", "linf"};

    static GridDensity gaussian(Grid grid, double[] mean, double var, double t) {
        return MixtureLaw.of(new GaussianMixture(new double[] {1}, new double[][] {mean},
                new double[][] {{var, 0, 0, var}})).cellAverages(grid, t);
    }

    /** Trapezoid rule on uniform nodes and the Richardson estimate |T_h − T_{2h}|/3 of its error (n − 1 even). */
    static double[] trapezoid(double[] f, double dx) {
        int m = f.length - 1;
        double th = 0;
        for (int i = 0; i < m; i++) {
            th += 0.5 * (f[i] + f[i + 1]) * dx;
        }
        double t2 = 0;
        for (int i = 0; i + 2 <= m; i += 2) {
            t2 += (f[i] + f[i + 2]) * dx;
        }
        return new double[] {th, Math.abs(th - t2) / 3};
    }

    /** One (start, p) row of the growth table. */
    record GrowthRow(String start, String p, double[] tau, double[] growth, double[] bound, double maxRatioToBound, boolean ok) {
    }

    /** The sharp (one-datum) case at one p: the gap to the bound on this grid and on the half-resolution one. */
    record Sharp(double gap, double gapCoarse, boolean withinKappa) {
    }

    /** The perturbed-score part; the per-p maps are keyed l1, l2, linf. */
    record Perturbation(String phi, double[] deltas, double[] l1, double[] l2, double[] linf, Map<String, Double> fittedConstant,
                        Map<String, double[]> duhamelConstant, Map<String, double[]> duhamelQuadratureError,
                        Map<String, double[]> normalisedRatios, boolean linear, boolean withinDuhamelBound) {
    }

    /** KL to the exact p_t along the exact ODE (two resolutions) and SDE. */
    record Kl(String start, double[] tau, double[] ode, double[] odeCoarse, double[] sde, double odeDrift, double odeDriftCoarse,
              double odeRelativeDrift, boolean odeDriftShrinks, boolean sdeNonIncreasing) {
    }

    /** What results.json holds besides the common keys. */
    record Measured(String data, double T, double tEnd, String grid, double h, double kappa, List<GrowthRow> growth,
                    Map<String, Sharp> sharpness, Perturbation perturbation, Kl kl, double seconds) {
    }

    /** The grids, times and solutions every part uses. */
    private record Setup(Params p, HeatSde sde, DataSet ds, FiniteDataScore exact, Grid grid, Grid coarse, double[] taus,
                         double[] times, double kappa, int steps, Runnable tick) {
        int k() {
            return times.length;
        }

        double tauEnd() {
            return sde.T() - p.tEnd();
        }

        GridDensity off(Grid g) {
            return gaussian(g, OFF_MEAN, OFF_VAR, sde.T());
        }
    }

    /** The off-centre start law N((1, −0.5), 0.5 I). */
    private static final double[] OFF_MEAN = {1.0, -0.5};
    private static final double OFF_VAR = 0.5;

    @Override
    public ExperimentResult<Params> run(Params p, ExperimentContext ctx) {
        long t0 = System.nanoTime();
        double bigT = p.T();
        HeatSde sde = new HeatSde(bigT);
        DataSet ds = DataSets.parse("points:n=" + p.points() + ",low=-1.5,high=1.5,seed=" + ctx.seed());
        Grid grid = Grids.covering(ds.points(), sde, new double[] {p.tEnd(), bigT}, true, p.cells());
        int k = p.records();
        double tauEnd = bigT - p.tEnd();
        double[] taus = new double[k + 1];
        double[] times = new double[k];
        for (int i = 0; i <= k; i++) {
            taus[i] = tauEnd * i / k;
            if (i > 0) {
                times[i - 1] = bigT - taus[i];
            }
        }
        times[k - 1] = p.tEnd();
        double h = Math.max(grid.h(0), grid.h(1));
        int total = 7 + p.deltas().length;
        int[] done = {0};
        Setup su = new Setup(p, sde, ds, new FiniteDataScore(sde, ds.points()), grid,
                new Grid(grid.lo(), grid.hi(), new int[] {p.cells() / 2, p.cells() / 2}), taus, times,
                h * h / sde.sigma2(p.tEnd()), 6 * p.cells(), () -> ctx.listener().progress(++done[0], total, "lp-stability"));
        List<Check> checks = new ArrayList<>();
        List<List<String>> growthTable = new ArrayList<>();
        Map<String, Sharp> sharp = new LinkedHashMap<>();
        GridDensity prior = ReverseFokkerPlanck.prior(sde, grid);
        List<List<GridDensity>> sols = new ArrayList<>();
        List<GrowthRow> growth = growth(su, ctx, prior, sols, sharp, growthTable, checks);
        List<List<String>> pertTable = new ArrayList<>();
        List<List<String>> fitTable = new ArrayList<>();
        Perturbation pert = perturbation(su, ctx, prior, sols.get(1).get(k - 1), pertTable, fitTable, checks);
        Kl kl = kl(su, ctx, sols.get(2), checks);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Measured measured = new Measured(ds.spec(), bigT, p.tEnd(), grid.describe(), h, su.kappa(), growth, sharp, pert, kl, seconds);
        return new ExperimentResult<>(p, measured, checks, report(su, growthTable, sharp, pertTable, fitTable, pert, kl, seconds));
    }

    /**
     * The growth part: the one-datum solution (sharp, on two resolutions), the data score from the prior and from the
     * off-centre start, and their difference, against the bound for p = 1, 2, ∞. {@code sols} receives the solutions
     * (one datum, prior, off-centre, difference).
     */
    private static List<GrowthRow> growth(Setup su, ExperimentContext ctx, GridDensity prior, List<List<GridDensity>> sols,
                                          Map<String, Sharp> sharp, List<List<String>> table, List<Check> checks) {
        HeatSde sde = su.sde();
        double bigT = sde.T();
        int k = su.k();
        double[] x0 = su.ds().points().row(0);
        OneDatumScore one = new OneDatumScore(sde, x0);
        GridDensity oneStart = gaussian(su.grid(), x0, sde.sigma2(bigT), bigT);
        List<GridDensity> oneSol = ReverseFokkerPlanck.builder(one).lambda(0).steps(su.steps()).build().solve(oneStart, su.times()).densities();
        su.tick().run();
        GridDensity oneStartC = gaussian(su.coarse(), x0, sde.sigma2(bigT), bigT);
        List<GridDensity> oneSolC = ReverseFokkerPlanck.builder(one).lambda(0).steps(su.steps() / 2).build().solve(oneStartC, su.times()).densities();
        su.tick().run();
        ReverseFokkerPlanck ode = ReverseFokkerPlanck.builder(su.exact()).lambda(0).steps(su.steps()).build();
        GridDensity off = su.off(su.grid());
        List<GridDensity> priorSol = ode.solve(prior, su.times()).densities();
        su.tick().run();
        List<GridDensity> offSol = ode.solve(off, su.times()).densities();
        su.tick().run();
        List<GridDensity> diffSol = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            diffSol.add(priorSol.get(i).minus(offSol.get(i)));
        }
        sols.addAll(List.of(oneSol, priorSol, offSol, diffSol));
        double[] tauOut = Arrays.copyOfRange(su.taus(), 1, k + 1);
        LinePlotChart[] charts = growthCharts(su, tauOut);
        String[] startNames = {"one datum from p_T (sharp case)", "data score from the prior", "data score from N((1,-0.5), 0.5 I)",
            "difference prior - off-centre (signed)"};
        GridDensity[] starts = {oneStart, prior, off, prior.minus(off)};
        List<GrowthRow> rows = new ArrayList<>();
        for (int sIdx = 0; sIdx < starts.length; sIdx++) {
            for (int q = 0; q < 3; q++) {
                double[] g = new double[k];
                double[] b = new double[k];
                double worst = 0;
                for (int i = 0; i < k; i++) {
                    g[i] = GridMetrics.lpGrowth(starts[sIdx], sols.get(sIdx).get(i), PS[q]);
                    b[i] = GridMetrics.lpGrowthBound(2, bigT, bigT - su.times()[i], PS[q]);
                    worst = Math.max(worst, g[i] / b[i]);
                }
                String at = startNames[sIdx] + ", " + PN[q] + ": ";
                boolean ok;
                if (sIdx == 0) {
                    ok = sharpCheck(su, oneStartC, oneSolC, q, g, b, at, sharp, checks);
                } else {
                    Check c = Check.atMost(at + "max growth/bound", worst, 1 + su.kappa());
                    checks.add(c);
                    ok = c.holds();
                }
                rows.add(new GrowthRow(startNames[sIdx], PN[q], tauOut, g, b, worst, ok));
                table.add(Report.cells(startNames[sIdx], PN[q], g[k - 1], b[k - 1], worst, ok));
                if (q > 0) {
                    charts[q - 1].line(startNames[sIdx], tauOut, g, true);
                }
            }
        }
        Png.write(ctx.out().resolve("growth_l2.png"), charts[0].chart());
        Png.write(ctx.out().resolve("growth_linf.png"), charts[1].chart());
        HeatMapPlot.write(ctx.out().resolve("ode_law.png"), priorSol.get(k - 1), su.ds().points(),
                "ODE law from the prior at t = " + su.p().tEnd() + " (white: data)");
        return rows;
    }

    private static LinePlotChart[] growthCharts(Setup su, double[] tauOut) {
        LinePlotChart[] charts = {
            new LinePlotChart("L2 growth ||w(tau)||_2/||w(0)||_2", "tau = T - t", "growth factor", false, true),
            new LinePlotChart("Linf growth ||w(tau)||_inf/||w(0)||_inf", "tau = T - t", "growth factor", false, true)};
        for (int q = 1; q < 3; q++) {
            double pp = PS[q];
            double[] b = Arrays.stream(tauOut).map(tt -> GridMetrics.lpGrowthBound(2, su.sde().T(), Math.min(tt, su.tauEnd()), pp)).toArray();
            charts[q - 1].reference("bound (T/(T-tau))^((d/2)(1-1/p))", tauOut, b);
        }
        return charts;
    }

    /**
     * The sharp case: |growth/bound − 1| ≤ κ at every time, and the gap is a discretisation error: it shrinks by at
     * least half when h halves (order ≥ 1; the scheme is order 2). p = 1: mass, conserved to rounding.
     */
    private static boolean sharpCheck(Setup su, GridDensity oneStartC, List<GridDensity> oneSolC, int q, double[] g, double[] b,
                                      String at, Map<String, Sharp> sharp, List<Check> checks) {
        double gap = 0;
        double gapC = 0;
        for (int i = 0; i < su.k(); i++) {
            gap = Math.max(gap, Math.abs(g[i] / b[i] - 1));
            gapC = Math.max(gapC, Math.abs(GridMetrics.lpGrowth(oneStartC, oneSolC.get(i), PS[q]) / b[i] - 1));
        }
        List<Check> cs = q == 0 ? List.of(Check.zero(at + "mass gap", gap, 1e-12))
                : List.of(Check.zero(at + "gap |growth/bound - 1|", gap, su.kappa()),
                        Check.atMost(at + "gap against half the coarse gap", gap, 0.5 * gapC));
        checks.addAll(cs);
        boolean ok = cs.stream().allMatch(Check::holds);
        sharp.put(PN[q], new Sharp(gap, gapC, ok));
        return ok;
    }

    /** The perturbed scores s + δφ: ‖w_δ − w₀‖_p at t_end against δ·B_p (Duhamel) and its linearity in δ. */
    private static Perturbation perturbation(Setup su, ExperimentContext ctx, GridDensity prior, GridDensity ref,
                                             List<List<String>> pertTable, List<List<String>> fitTable, List<Check> checks) {
        double[] deltas = su.p().deltas();
        double[][] dist = new double[3][deltas.length];
        double[][] duhamel = new double[3][deltas.length];
        double[][] quadErr = new double[3][deltas.length];
        boolean duhamelOk = true;
        for (int j = 0; j < deltas.length; j++) {
            List<GridDensity> sol = ReverseFokkerPlanck.builder(new PerturbedScore(su.exact(), deltas[j])).lambda(0).steps(su.steps()).build()
                    .solve(prior, su.times()).densities();
            su.tick().run();
            double[][] integrand = duhamelIntegrand(su, prior, sol);
            for (int q = 0; q < 3; q++) {
                dist[q][j] = sol.get(su.k() - 1).lpDistance(ref, PS[q]);
                double[] tr = trapezoid(integrand[q], su.tauEnd() / su.k());
                duhamel[q][j] = tr[0];
                quadErr[q][j] = tr[1];
                Check c = Check.atMost("delta=" + deltas[j] + ", " + PN[q] + ": difference within the Duhamel bound", dist[q][j],
                        deltas[j] * (tr[0] + tr[1]) * (1 + su.kappa()));
                checks.add(c);
                duhamelOk &= c.holds();
            }
            pertTable.add(Report.cells(deltas[j], dist[0][j], dist[1][j], dist[2][j],
                    deltas[j] * duhamel[0][j], deltas[j] * duhamel[1][j], deltas[j] * duhamel[2][j]));
        }
        LinePlotChart pertChart = new LinePlotChart("||w_delta - w_0||_p at t = " + su.p().tEnd(), "delta", "difference", true, true);
        Map<String, Double> fitted = new LinkedHashMap<>();
        Map<String, double[]> bounds = new LinkedHashMap<>();
        Map<String, double[]> quad = new LinkedHashMap<>();
        Map<String, double[]> ratios = new LinkedHashMap<>();
        boolean linear = true;
        for (int q = 0; q < 3; q++) {
            double sxy = 0;
            double sxx = 0;
            double[] ratio = new double[deltas.length - 1];
            for (int j = 0; j < deltas.length; j++) {
                sxy += deltas[j] * dist[q][j];
                sxx += deltas[j] * deltas[j];
                if (j > 0) {
                    // linear growth: ‖e(δ_j)‖/‖e(δ_{j−1})‖ = δ_j/δ_{j−1}; normalised ratio must be 1 within 5%
                    ratio[j - 1] = (dist[q][j] / dist[q][j - 1]) / (deltas[j] / deltas[j - 1]);
                    Check c = Check.near(PN[q] + ": normalised ratio at delta=" + deltas[j], ratio[j - 1], 1, 0.05);
                    checks.add(c);
                    linear &= c.holds();
                }
            }
            double c = sxy / sxx;
            fitted.put(PN[q], c);
            bounds.put(PN[q], duhamel[q]);
            quad.put(PN[q], quadErr[q]);
            ratios.put(PN[q], ratio);
            pertChart.line(PN[q], deltas, dist[q], true);
            pertChart.reference("C_" + PN[q] + " delta", deltas, Arrays.stream(deltas).map(x -> c * x).toArray());
            fitTable.add(List.of(PN[q], Report.num(c), Report.num(Arrays.stream(duhamel[q]).min().orElseThrow()),
                    Arrays.toString(Arrays.stream(ratio).map(r -> Math.round(r * 1e4) / 1e4).toArray())));
        }
        Png.write(ctx.out().resolve("perturbation.png"), pertChart.chart());
        return new Perturbation("(sin x2, cos x1)", deltas, dist[0], dist[1], dist[2], fitted, bounds, quad, ratios, linear, duhamelOk);
    }

    /** The Duhamel integrand ((T − τ')/(T − τ))^{(d/2)(1−1/p)} ‖∇·(φ w_δ(τ'))‖_p at every recorded τ', per p. */
    private static double[][] duhamelIntegrand(Setup su, GridDensity prior, List<GridDensity> sol) {
        Grid grid = su.grid();
        Batch phi = PerturbedScore.phi(grid.centres());
        double bigT = su.sde().T();
        double[][] integrand = new double[3][su.k() + 1];
        for (int i = 0; i <= su.k(); i++) {
            GridDensity w = i == 0 ? prior : sol.get(i - 1);
            Batch flux = Batch.zeros(grid.cells(), 2);
            double[] wv = w.values();
            for (int c = 0; c < grid.cells(); c++) {
                flux.set(c, 0, phi.get(c, 0) * wv[c]);
                flux.set(c, 1, phi.get(c, 1) * wv[c]);
            }
            GridDensity divFlux = new GridDensity(grid, GridCalculus.divergence(grid, flux), w.t());
            for (int q = 0; q < 3; q++) {
                double e = PS[q] == Double.POSITIVE_INFINITY ? 0.5 * 2 : 0.5 * 2 * (1 - 1 / PS[q]);
                integrand[q][i] = Math.pow((bigT - su.taus()[i]) / (bigT - su.tauEnd()), e) * divFlux.lpNorm(PS[q]);
            }
        }
        return integrand;
    }

    /** KL(w(τ) ‖ p_{T−τ}) from the off-centre start: constant along the exact ODE (to discretisation), non-increasing along the SDE. */
    private static Kl kl(Setup su, ExperimentContext ctx, List<GridDensity> offSol, List<Check> checks) {
        int k = su.k();
        double[] allT = new double[k + 1];
        allT[0] = su.sde().T();
        System.arraycopy(su.times(), 0, allT, 1, k);
        List<GridDensity> offSolC = ReverseFokkerPlanck.builder(su.exact()).lambda(0).steps(su.steps() / 2).build()
                .solve(su.off(su.coarse()), su.times()).densities();
        su.tick().run();
        GridDensity off = su.off(su.grid());
        List<GridDensity> sdeSol = ReverseFokkerPlanck.builder(su.exact()).lambda(1).steps(su.steps()).build().solve(off, su.times()).densities();
        su.tick().run();
        double[] klOde = new double[k + 1];
        double[] klOdeC = new double[k + 1];
        double[] klSde = new double[k + 1];
        GridDensity offC = su.off(su.coarse());
        for (int i = 0; i <= k; i++) {
            MixtureLaw law = MixtureLaw.finiteSample(su.ds().points(), su.sde(), allT[i]);
            GridDensity pt = law.cellAverages(su.grid(), allT[i]).normalised();
            GridDensity ptC = law.cellAverages(su.coarse(), allT[i]).normalised();
            klOde[i] = (i == 0 ? off : offSol.get(i - 1)).normalised().kl(pt);
            klSde[i] = (i == 0 ? off : sdeSol.get(i - 1)).normalised().kl(pt);
            klOdeC[i] = (i == 0 ? offC : offSolC.get(i - 1)).normalised().kl(ptC);
        }
        double drift = 0;
        double driftC = 0;
        for (int i = 1; i <= k; i++) {
            drift = Math.max(drift, Math.abs(klOde[i] - klOde[0]));
            driftC = Math.max(driftC, Math.abs(klOdeC[i] - klOdeC[0]));
        }
        Check shrinks = Check.atMost("KL: ODE drift against half the coarse drift", drift, 0.5 * driftC);
        checks.add(shrinks);
        boolean sdeMonotone = true;
        for (int i = 1; i <= k; i++) {
            Check c = Check.atMost("KL: SDE at tau=" + Report.num(su.taus()[i]) + " against the previous + the ODE drift", klSde[i],
                    klSde[i - 1] + drift);
            checks.add(c);
            sdeMonotone &= c.holds();
        }
        LinePlotChart klChart = new LinePlotChart("KL(w(tau) || p_(T-tau))", "tau = T - t", "KL", false, false);
        klChart.line("ODE (lambda=0), " + su.p().cells() + " cells", su.taus(), klOde, true);
        klChart.line("ODE, " + su.p().cells() / 2 + " cells", su.taus(), klOdeC, true);
        klChart.line("SDE (lambda=1)", su.taus(), klSde, true);
        klChart.chart().getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        Png.write(ctx.out().resolve("kl.png"), klChart.chart());
        return new Kl("N((1,-0.5), 0.5 I)", su.taus(), klOde, klOdeC, klSde, drift, driftC, drift / klOde[0], shrinks.holds(), sdeMonotone);
    }

    private Report report(Setup su, List<List<String>> growthTable, Map<String, Sharp> sharp, List<List<String>> pertTable,
                          List<List<String>> fitTable, Perturbation pert, Kl kl, double seconds) {
        Params p = su.p();
        List<String> sharpText = new ArrayList<>();
        sharp.forEach((q, s) -> sharpText.add(q + ": " + Report.num(s.gap()) + " (half resolution " + Report.num(s.gapCoarse())
                + ", within κ: " + Report.cell(s.withinKappa()) + ")"));
        return new Report("C4: L^p stability of the model dynamics (heat, exact score)")
                .paragraph("Claim: " + claim() + ". Heat flow (σ² = 2t, T = " + su.sde().T() + "), exact score of " + p.points()
                        + " random points in [−1.5, 1.5]², reverse Fokker–Planck (M9) solved on a " + su.grid().describe()
                        + " grid from τ = 0 to τ = " + Report.num(su.tauEnd()) + " (t = " + p.tEnd() + "), " + su.k() + " recorded times.")
                .paragraph("Tolerance κ = (h/σ(t_end))² = " + Report.num(su.kappa()) + ": the unit-constant size of the second-order "
                        + "scheme's relative error. Growth factors may exceed the bound by the factor 1 + κ; the one-datum "
                        + "(sharp) case must meet it within κ, and its gap must at least halve when h halves (it is the scheme's error).")
                .heading("Growth of ‖w(τ)‖_p against (T/(T − τ))^{(d/2)(1 − 1/p)}")
                .table(List.of("solution", "p", "growth at τ_end", "bound at τ_end", "max growth/bound", "ok"), growthTable)
                .paragraph("Sharpness (one datum), max |growth/bound − 1| on this grid and on the half-resolution grid: "
                        + String.join("; ", sharpText))
                .image("growth_l2.png", "L² growth factor against τ, with the bound (dashed).")
                .image("growth_linf.png", "L^∞ growth factor against τ, with the bound (dashed).")
                .image("ode_law.png", "The exact-score ODE law at t_end from the prior, with the data.")
                .heading("Perturbed score s + δφ, φ = (sin x₂, cos x₁)")
                .table(List.of("δ", "‖e‖₁", "‖e‖₂", "‖e‖_∞", "δB₁ (Duhamel)", "δB₂", "δB_∞"), pertTable)
                .table(List.of("p", "fitted C_p (‖e‖_p ≈ C_p δ)", "Duhamel constant B_p (min over δ)",
                        "ratios (‖e(δ')‖/‖e(δ)‖)/(δ'/δ), must be 1 ± 0.05"), fitTable)
                .paragraph("Linear in δ: " + Report.cell(pert.linear()) + "; within the Duhamel bound δ·B_p: "
                        + Report.cell(pert.withinDuhamelBound()) + ".")
                .image("perturbation.png", "‖w_δ − w₀‖_p at t_end against δ, log–log, with the fitted lines C_p δ (dashed).")
                .heading("KL(w(τ) ‖ p_{T−τ}) from the off-centre start")
                .table(List.of("τ", "ODE", "ODE (half resolution)", "SDE"), klTable(su.taus(), kl.ode(), kl.odeCoarse(), kl.sde()))
                .paragraph("ODE drift max|KL(τ) − KL(0)| = " + Report.num(kl.odeDrift()) + " (relative " + Report.num(kl.odeRelativeDrift())
                        + "), at half resolution " + Report.num(kl.odeDriftCoarse()) + ": shrinks by ≥ 2 when h halves: "
                        + Report.cell(kl.odeDriftShrinks()) + ". SDE non-increasing (up to the ODE drift): " + Report.cell(kl.sdeNonIncreasing()) + ".")
                .image("kl.png", "KL to the exact p_t along the exact ODE (two resolutions) and SDE.")
                .paragraph("Run time " + Report.num(seconds) + " s.");
    }

    private static List<List<String>> klTable(double[] taus, double[] a, double[] b, double[] c) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < taus.length; i++) {
            rows.add(List.of(Report.num(taus[i]), Report.num(a[i]), Report.num(b[i]), Report.num(c[i])));
        }
        return rows;
    }
}
