package org.pdediff.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.Support;
import org.pdediff.metrics.Memorization;
import org.pdediff.metrics.SupportDistance;
import org.pdediff.metrics.Wasserstein;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.Sampler;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.Snapshot;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.sde.HeatSde;

/**
 * C5 and C6 [P1] on the heat flow (σ² = 2t). Data: N points on the unit circle (d = 2) and on the unit sphere (d = 3),
 * compact sets K. The exact-score reverse ODE (M7, Heun) and SDE (M6, Euler–Maruyama), started from the prior
 * N(0, 2T·I) and from a broader Gaussian N(0, 4·2T·I), are recorded at log-spaced times.
 * <ul>
 * <li>C5: the RMS distance to K against t; {@code slope} is the least-squares slope of log RMS against log t for
 * t ≤ 10⁻² (prediction ½), and E dist² must stay below 8t(κ₀ + (d/2) ln 2) with κ₀ = KL(w₀ ‖ p_T), estimated by
 * Monte Carlo with the exact log-density of p_T.</li>
 * <li>C6: at each stopping time ε the fidelity against the bound √d·σ(ε)/α(ε) = √(2dε). With n samples the
 * empirical W2(samples, data) also carries the multinomial imbalance of how often each training point is chosen;
 * with c_i the number of samples whose nearest training point is x_i, the triangle inequality splits it exactly:
 * W2(samples, data) ≤ W2(samples, Σc_iδ_{x_i}/n) + W2(Σc_iδ_{x_i}/n, data). The first term ({@code fidelity_w2},
 * exact weighted OT) is the fidelity of the law p_ε and must satisfy the bound up to Monte-Carlo error (factor
 * 1 + 3/√n); the second ({@code imbalance_w2}) is reported, and the raw W2 ({@code raw_w2}) must not exceed their
 * sum. Also the novelty (mean distance to the nearest training point) and the largest ε whose fidelity meets the
 * tolerance δ against the prediction δ²/(2d).</li>
 * </ul>
 */
public final class ConcentrationExperiment implements Experiment<ConcentrationExperiment.Params> {
    /**
     * @param points     training points on each manifold
     * @param n          particles per run
     * @param T          heat horizon
     * @param steps      sampler steps (geometric grid down to epsMin)
     * @param epsMin     smallest time recorded
     * @param broad      standard-deviation factor of the broad start law
     * @param tolerance  fidelity tolerance δ for the recommended ε
     */
    public record Params(int points, int n, double T, int steps, double epsMin, double broad, double tolerance) {
        public Params {
            if (points < 2 || n < 10 || !(T > 0) || steps < 10 || !(epsMin > 0 && epsMin < 1e-2) || !(broad >= 1) || !(tolerance > 0)) {
                throw new InvalidInputException("concentration: need points >= 2, n >= 10, T > 0, steps >= 10, 0 < eps-min < 0.01, broad >= 1, tolerance > 0");
            }
        }

        public static Params defaults(boolean quick) {
            return quick ? new Params(100, 400, 2, 300, 1e-4, 2, 0.05) : new Params(400, 2000, 2, 1500, 1e-5, 2, 0.05);
        }
    }

    @Override
    public String name() {
        return "concentration";
    }

    @Override
    public String claim() {
        return "C5/C6: exact-score samples concentrate on the data support at rate sqrt(t) within 8t(kappa0 + (d/2) ln 2); "
                + "stopping at eps gives fidelity W2 <= sqrt(d) sigma/alpha";
    }

    /** Least-squares slope of log y against log x. */
    static double logLogSlope(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]);
            my += Math.log(y[i]);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
            sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
        }
        return sxy / sxx;
    }

    /** KL(N(0, vI) ‖ p_T) by Monte Carlo with m draws: E[log w₀ − log p_T]. */
    static double klFromGaussian(FiniteDataScore score, double v, double T, int d, int m, RandomStream rng) {
        Batch x = Batch.zeros(m, d);
        rng.fillNormal(x, 0, 0);
        double sd = Math.sqrt(v);
        double[] a = x.data();
        double sq = 0;
        for (int k = 0; k < a.length; k++) {
            sq += a[k] * a[k];
            a[k] *= sd;
        }
        double[] logp = new double[m];
        score.logDensity(x, T, logp);
        double logw0 = -0.5 * d * Math.log(2 * Math.PI * v) * m - 0.5 * sq;
        double s = logw0;
        for (double lp : logp) {
            s -= lp;
        }
        return Math.max(0, s / m);
    }

    @Override
    public Outcome run(Params p, ExperimentContext ctx) {
        HeatSde sde = new HeatSde(p.T());
        int nTimes = 12;
        double[] record = new double[nTimes];
        double tMax = 0.5;
        for (int k = 0; k < nTimes; k++) {
            record[k] = p.epsMin() * Math.pow(tMax / p.epsMin(), k / (nTimes - 1.0));
        }
        TimeGrid grid = TimeGrid.of(GridKind.GEOMETRIC, p.T(), p.epsMin(), p.steps());
        double[] onGrid = java.util.Arrays.stream(record).map(t -> grid.time(grid.nearest(t))).distinct().toArray();
        List<Map<String, Object>> runs = new ArrayList<>();
        List<List<String>> c5table = new ArrayList<>();
        List<List<String>> c6table = new ArrayList<>();
        boolean holds = true;
        LinePlotChart distChart = new LinePlotChart("RMS distance to the support", "t (heat time)", "RMS dist(Y_t, K)", true, true);
        LinePlotChart nfChart = new LinePlotChart("Novelty against fidelity", "fidelity W2(samples, data)", "novelty: mean nearest-training distance", true, true);
        Map<String, Object> recommended = new LinkedHashMap<>();
        int done = 0;
        for (String setSpec : new String[] {"circle:radius=1", "sphere:d=3,radius=1"}) {
            DataSet ds = DataSets.parse(setSpec + ",n=" + p.points() + ",seed=" + ctx.seed());
            Support support = ds.support().orElseThrow();
            int d = ds.dim();
            FiniteDataScore score = new FiniteDataScore(sde, ds.points());
            long[] ones = new long[p.n()];
            long[] uniform = new long[ds.size()];
            java.util.Arrays.fill(ones, 1);
            java.util.Arrays.fill(uniform, 1);
            for (String start : new String[] {"prior", "broad"}) {
                double v = sde.priorVariance() * (start.equals("prior") ? 1 : p.broad() * p.broad());
                double kappa0 = klFromGaussian(score, v, p.T(), d, 20_000, RandomStream.of(ctx.seed()).derive("kl-" + start));
                Batch x0 = Samplers.prior(score, 0, p.n(), ctx.seed());
                double scale = Math.sqrt(v / sde.priorVariance());
                for (int k = 0; k < x0.data().length; k++) {
                    x0.data()[k] *= scale;
                }
                for (SamplerKind kind : new SamplerKind[] {SamplerKind.HEUN, SamplerKind.EM}) {
                    String mode = kind == SamplerKind.EM ? "sde" : "ode";
                    Sampler s = Samplers.create(SamplingOptions.builder().kind(kind).timeGrid(grid).seed(ctx.seed())
                            .recordTimes(onGrid).build());
                    SampleResult r = s.sample(score, x0, 0);
                    String label = ds.name() + " " + mode + " from " + start;
                    List<Double> ts = new ArrayList<>();
                    List<Double> rms = new ArrayList<>();
                    boolean boundOk = true;
                    List<Map<String, Object>> perT = new ArrayList<>();
                    double[] fid = new double[r.trajectory().size()];
                    double[] nov = new double[r.trajectory().size()];
                    int q = 0;
                    double best = Double.NaN;
                    for (Snapshot snap : r.trajectory()) {
                        double t = snap.t();
                        SupportDistance.Result sd = SupportDistance.compute(snap.x(), support);
                        double bound = 8 * t * (kappa0 + 0.5 * d * Math.log(2));
                        boolean ok = sd.rmsDist() * sd.rmsDist() <= bound;
                        boundOk &= ok;
                        Memorization.Result mem = Memorization.compute(snap.x(), ds.points());
                        double novelty = mem.meanNearestDist();
                        long[] counts = mem.hitCounts();
                        double raw = Wasserstein.exact(snap.x(), ds.points()).distance();
                        var fidRes = Wasserstein.exactWeighted(snap.x(), ones, ds.points(), counts,
                                org.pdediff.metrics.GroundCost.SQUARED_EUCLIDEAN);
                        double fidelity = fidRes.distance();
                        double floor = Wasserstein.exactWeighted(ds.points(), counts, ds.points(), uniform,
                                org.pdediff.metrics.GroundCost.SQUARED_EUCLIDEAN).distance();
                        double fidBound = Math.sqrt(d) * sde.sigma(t) / sde.alpha(t);
                        // the triangle inequality holds exactly; allow the solvers' certified error bounds (≤ 1e-6 here)
                        boolean fidOk = fidelity <= fidBound * (1 + 3 / Math.sqrt(p.n())) && raw <= fidelity + floor + 1e-6;
                        // the bound is for p_ε, the law reached from p_T (≈ the prior); from another start only the
                        // SDE forgets its start law (C4: KL is constant along the exact ODE), so it is asserted for
                        // prior starts and reported for the others
                        if (start.equals("prior")) {
                            holds &= fidOk;
                        }
                        if (fidelity <= p.tolerance() && (Double.isNaN(best) || t > best)) {
                            best = t;
                        }
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("t", t);
                        row.put("rms_dist", sd.rmsDist());
                        row.put("c5_bound_mean_sq", bound);
                        row.put("fidelity_w2", fidelity);
                        row.put("fidelity_bound", fidBound);
                        row.put("imbalance_w2", floor);
                        row.put("raw_w2", raw);
                        row.put("novelty", novelty);
                        row.put("within_fidelity_bound", fidOk);
                        perT.add(row);
                        if (t <= 1e-2) {
                            ts.add(t);
                            rms.add(sd.rmsDist());
                        }
                        fid[q] = fidelity;
                        nov[q++] = novelty;
                        if (kind == SamplerKind.EM && start.equals("prior")) {
                            c6table.add(List.of(ds.name(), Report.num(t), Report.num(fidelity), Report.num(fidBound),
                                    Report.num(floor), Report.num(raw), Report.num(novelty), fidOk ? "yes" : "NO"));
                        }
                    }
                    double slope = logLogSlope(ts.stream().mapToDouble(Double::doubleValue).toArray(),
                            rms.stream().mapToDouble(Double::doubleValue).toArray());
                    boolean slopeOk = slope >= 0.4 && slope <= 0.6;
                    holds &= slopeOk && boundOk;
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("data", ds.spec());
                    run.put("sampler", mode);
                    run.put("start", start);
                    run.put("kappa0", kappa0);
                    run.put("slope", slope);
                    run.put("bound_holds", boundOk);
                    run.put("times", perT);
                    if (kind == SamplerKind.EM && start.equals("prior")) {
                        run.put("recommended_eps", Double.isNaN(best) ? null : best);
                        run.put("predicted_eps", p.tolerance() * p.tolerance() / (2 * d));
                        recommended.put(ds.name(), Map.of("recommended_eps", Double.isNaN(best) ? -1 : best,
                                "predicted_eps", p.tolerance() * p.tolerance() / (2 * d)));
                        nfChart.line(ds.name(), fid, nov, true);
                    }
                    runs.add(run);
                    c5table.add(List.of(label, Report.num(kappa0), Report.num(slope), slopeOk ? "yes" : "NO", boundOk ? "yes" : "NO"));
                    double[] tArr = r.trajectory().stream().mapToDouble(Snapshot::t).toArray();
                    double[] rArr = r.trajectory().stream().mapToDouble(sn -> SupportDistance.compute(sn.x(), support).rmsDist()).toArray();
                    distChart.line(label, tArr, rArr, true);
                    ctx.listener().progress(++done, 8, label);
                }
            }
        }
        double[] tr = {p.epsMin(), 0.5};
        distChart.reference("slope 1/2", tr, new double[] {Math.sqrt(tr[0]), Math.sqrt(tr[1])});
        Png.write(ctx.out().resolve("rms_distance.png"), distChart.chart());
        Png.write(ctx.out().resolve("novelty_fidelity.png"), nfChart.chart());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("runs", runs);
        results.put("recommended", recommended);
        double minSlope = runs.stream().mapToDouble(m -> (Double) m.get("slope")).min().orElse(Double.NaN);
        double maxSlope = runs.stream().mapToDouble(m -> (Double) m.get("slope")).max().orElse(Double.NaN);
        results.put("slope_min", minSlope);
        results.put("slope_max", maxSlope);
        Report rep = new Report("C5/C6: concentration on the support and the stopping time")
                .paragraph("Claim: " + claim() + ". Heat flow (σ² = 2t, T = " + p.T() + "), exact score of " + p.points()
                        + " points on the unit circle and on the unit sphere, " + p.n() + " particles, " + p.steps()
                        + " geometric steps down to " + p.epsMin() + "; ODE by Heun, SDE by Euler–Maruyama.")
                .heading("C5: rate √t")
                .table(List.of("run", "κ₀ = KL(w₀‖p_T)", "slope (t ≤ 0.01)", "slope in [0.4, 0.6]", "E dist² ≤ 8t(κ₀ + (d/2) ln 2)"), c5table)
                .image("rms_distance.png", "RMS distance to the support against t, log–log, with a slope-½ reference.")
                .heading("C6: fidelity and novelty against the stopping time (SDE from the prior)")
                .table(List.of("data", "ε", "fidelity W2 (to hit-weighted data)", "bound √d σ/α", "imbalance W2",
                        "raw W2 to data", "novelty", "within bound"), c6table)
                .paragraph("The fidelity bound is a statement about p_ε, the law reached from p_T; it is asserted for the runs "
                        + "started from the prior. From the broad start the SDE still meets it (it forgets its start law) while "
                        + "the ODE does not (KL to p_t is constant along the exact ODE, C4): see results.json, "
                        + "within_fidelity_bound per time.")
                .paragraph("Recommended stopping time for fidelity tolerance δ = " + p.tolerance() + ": " + recommended
                        + " (prediction δ²/(2d)).")
                .image("novelty_fidelity.png", "Novelty (mean distance to the nearest training point) against fidelity (W2 to the data), one point per ε.")
                .paragraph(holds ? "Result: the claims hold." : "Result: the claims do NOT all hold at this size (see the rows marked NO).");
        return new Outcome(holds, results, rep);
    }
}
