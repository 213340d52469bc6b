package org.pdediff.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.Snapshot;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.OneDatumScore;
import org.pdediff.sde.OuSde;

/**
 * C2 [P2]: the explicit solution M13 of the one-datum reverse SDE (ou, θ = 1, g = √2), from an arbitrary start law,
 * against Euler–Maruyama and against pdediff's DDPM sampler, and the DDPM-posterior identity. With Y_T ~ N(m₀, v₀):
 * <pre>
 *   E Y_s = x₀e^{−s} + (sinh s / sinh T)(m₀ − x₀e^{−T}),
 *   Var Y_s = (sinh s / sinh T)² v₀ + 2 sinh s · sinh(T − s) / sinh T.
 * </pre>
 * The bridge's exact transition from s to s' &lt; s (M13 with T replaced by s) has coefficients
 * (sinh s'/sinh s on Y_s, e^{−s'} − (sinh s'/sinh s)e^{−s} on x₀, variance 2 sinh s' sinh(s − s')/sinh s), which must
 * equal the DDPM posterior's with ᾱ = e^{−2s}: {@code max_identity_error} is the largest difference over a grid of
 * pairs (rounding only). DDPM with the one-datum score samples that posterior, so its moments must match M13 at
 * every grid time whatever the number of steps (Monte-Carlo error only); EM has an O(h) bias on top.
 */
public final class OneDatumExperiment implements Experiment<OneDatumExperiment.Params> {
    /**
     * @param T      horizon of the ou SDE
     * @param x0     the datum (1-D)
     * @param m0     mean of the start law at T (any; not the prior)
     * @param v0     variance of the start law
     * @param n      particles
     * @param steps  Euler–Maruyama steps (geometric grid down to eps)
     * @param eps    stopping time
     */
    public record Params(double T, double x0, double m0, double v0, int n, int steps, int ddpmSteps, double eps) {
        public Params {
            if (!(T > 0) || !(v0 >= 0) || n < 100 || steps < 10 || ddpmSteps < 2 || !(eps > 0 && eps < T)) {
                throw new InvalidInputException("one-datum: need T > 0, v0 >= 0, n >= 100, steps >= 10, ddpm-steps >= 2, 0 < eps < T");
            }
        }

        public static Params defaults(boolean quick) {
            return new Params(5, 1.5, 3, 0.25, quick ? 20_000 : 200_000, quick ? 400 : 4000, 20, 0.01);
        }
    }

    @Override
    public String name() {
        return "one-datum";
    }

    @Override
    public String claim() {
        return "C2: the one-datum reverse SDE has the explicit law M13 from any start, and DDPM's posterior is its exact transition";
    }

    static double mean(Params p, double s) {
        return p.x0() * Math.exp(-s) + Math.sinh(s) / Math.sinh(p.T()) * (p.m0() - p.x0() * Math.exp(-p.T()));
    }

    static double variance(Params p, double s) {
        double r = Math.sinh(s) / Math.sinh(p.T());
        return r * r * p.v0() + 2 * Math.sinh(s) * Math.sinh(p.T() - s) / Math.sinh(p.T());
    }

    /** Largest difference between the bridge transition and the DDPM posterior (ᾱ = e^{−2s}) coefficients. */
    static double identityError(OuSde sde) {
        double worst = 0;
        double[] ts = {0.003, 0.01, 0.05, 0.2, 0.7, 1.5, 3, 4.9};
        for (double s : ts) {
            for (double sp : ts) {
                if (!(sp < s)) {
                    continue;
                }
                double bx = Math.sinh(sp) / Math.sinh(s);
                double b0 = Math.exp(-sp) - bx * Math.exp(-s);
                double bv = 2 * Math.sinh(sp) * Math.sinh(s - sp) / Math.sinh(s);
                double abk = Math.exp(-2 * s);
                double abk1 = Math.exp(-2 * sp);
                double ak = abk / abk1;
                double betak = 1 - ak;
                double dx = Math.sqrt(ak) * (1 - abk1) / (1 - abk);
                double d0 = Math.sqrt(abk1) * betak / (1 - abk);
                double dv = betak * (1 - abk1) / (1 - abk);
                // and the coefficients pdediff's DDPM sampler uses, from the SDE's α and σ² (PosteriorSampler)
                double at = sde.alpha(s);
                double atp = sde.alpha(sp);
                double a = at / atp;
                double v = sde.sigma2(s) - a * a * sde.sigma2(sp);
                double px = a * sde.sigma2(sp) / sde.sigma2(s);
                double p0 = atp * v / sde.sigma2(s);
                double pv = sde.sigma2(sp) * v / sde.sigma2(s);
                worst = Math.max(worst, Math.max(Math.abs(bx - dx), Math.max(Math.abs(b0 - d0), Math.abs(bv - dv) / bv)));
                worst = Math.max(worst, Math.max(Math.abs(bx - px), Math.max(Math.abs(b0 - p0), Math.abs(bv - pv) / bv)));
            }
        }
        return worst;
    }

    /** One row of the moments table: a sampler's mean and variance at time s against M13. */
    record MomentRow(String sampler, double s, double meanM13, double meanSampled, double relErrorMean, double varM13,
                     double varSampled, double relErrorVar, boolean withinTolerance) {
    }

    /** What results.json holds besides the common keys. */
    record Measured(double maxIdentityError, List<MomentRow> checks, long emNfe, long ddpmNfe) {
    }

    @Override
    public ExperimentResult<Params> run(Params p, ExperimentContext ctx) {
        OuSde sde = new OuSde(1, Math.sqrt(2), p.T());
        OneDatumScore score = new OneDatumScore(sde, new double[] {p.x0()});
        Batch start = Batch.zeros(p.n(), 1);
        RandomStream.of(ctx.seed()).derive("one-datum-start").fillNormal(start, 0, 0);
        for (int i = 0; i < p.n(); i++) {
            start.set(i, 0, p.m0() + Math.sqrt(p.v0()) * start.get(i, 0));
        }
        double[] checkTimes = {p.T() / 2, 1, 0.1, p.eps()};
        TimeGrid emGrid = TimeGrid.of(GridKind.GEOMETRIC, p.T(), p.eps(), p.steps());
        double[] emRecord = Arrays.stream(checkTimes).map(s -> emGrid.time(emGrid.nearest(s))).toArray();
        SampleResult em = Samplers.create(SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(emGrid)
                .seed(ctx.seed()).recordTimes(emRecord).listener(ctx.listener()).build()).sample(score, start, 0);
        // DDPM on a grid that contains the check times exactly
        double[] ddpmTimes = ddpmGrid(p, checkTimes);
        SampleResult ddpm = Samplers.create(SamplingOptions.builder().kind(SamplerKind.DDPM)
                .timeGrid(TimeGrid.ofTimes(ddpmTimes)).seed(ctx.seed() + 1).recordTimes(checkTimes).build()).sample(score, start, 0);

        List<Check> checks = new ArrayList<>();
        List<MomentRow> rows = new ArrayList<>();
        rows.addAll(momentRows(p, "em", em, checks));
        rows.addAll(momentRows(p, "ddpm", ddpm, checks));
        double identity = identityError(sde);
        checks.add(new Check("max_identity_error", identity, 0, 1e-12, identity < 1e-12));
        Png.write(ctx.out().resolve("one_datum.png"), chart(p, em, ddpm).chart());
        Measured measured = new Measured(identity, rows, em.nfe(), ddpm.nfe());
        return new ExperimentResult<>(p, measured, checks, report(p, rows, identity, ddpmTimes.length - 1));
    }

    /** The moments of each recorded snapshot against M13, with their checks (5 standard errors; EM also its O(h) bias). */
    private static List<MomentRow> momentRows(Params p, String which, SampleResult r, List<Check> checks) {
        double n = p.n();
        List<MomentRow> rows = new ArrayList<>();
        for (Snapshot snap : r.trajectory()) {
            double s = snap.t();
            double[] mv = moments(snap.x());
            double m = mean(p, s);
            double v = variance(p, s);
            double relMean = Math.abs(mv[0] - m) / Math.abs(m);
            double relVar = Math.abs(mv[1] - v) / v;
            // 5 standard errors (SE(mean) = √(v/n), SE(var) = v√(2/n)); EM also an O(h) bias of ≈ h/s ≤ 2%
            double bias = which.equals("em") ? 0.02 : 0;
            Check cm = Check.zero(which + " s=" + Report.num(s) + ": relative error of the mean", relMean,
                    5 * Math.sqrt(v / n) / Math.abs(m) + bias);
            Check cv = Check.zero(which + " s=" + Report.num(s) + ": relative error of the variance", relVar,
                    5 * Math.sqrt(2 / n) + bias);
            checks.add(cm);
            checks.add(cv);
            rows.add(new MomentRow(which, s, m, mv[0], relMean, v, mv[1], relVar, cm.holds() && cv.holds()));
        }
        return rows;
    }

    private static LinePlotChart chart(Params p, SampleResult em, SampleResult ddpm) {
        double[] sGrid = new double[60];
        double[] mCurve = new double[60];
        double[] sdCurve = new double[60];
        for (int k = 0; k < 60; k++) {
            sGrid[k] = p.eps() * Math.pow(p.T() / p.eps(), k / 59.0);
            mCurve[k] = mean(p, sGrid[k]);
            sdCurve[k] = Math.sqrt(variance(p, sGrid[k]));
        }
        LinePlotChart chart = new LinePlotChart("One datum: M13 against sampling", "s (forward time)", "mean and std of Y_s", true, false)
                .line("M13 mean", sGrid, mCurve, false).line("M13 std", sGrid, sdCurve, false);
        for (String which : new String[] {"em", "ddpm"}) {
            SampleResult r = which.equals("em") ? em : ddpm;
            double[] ss = r.trajectory().stream().mapToDouble(Snapshot::t).toArray();
            double[] ms = r.trajectory().stream().mapToDouble(sn -> moments(sn.x())[0]).toArray();
            double[] sds = r.trajectory().stream().mapToDouble(sn -> Math.sqrt(moments(sn.x())[1])).toArray();
            chart.line(which + " mean", ss, ms, true).line(which + " std", ss, sds, true);
        }
        return chart;
    }

    private Report report(Params p, List<MomentRow> rows, double identity, int ddpmSteps) {
        List<List<String>> table = new ArrayList<>();
        for (MomentRow r : rows) {
            table.add(Report.cells(r.sampler(), r.s(), r.meanM13(), r.meanSampled(), r.relErrorMean(), r.varM13(),
                    r.varSampled(), r.relErrorVar(), r.withinTolerance()));
        }
        return new Report("C2: the explicit one-datum solution (M13)")
                .paragraph("Claim: " + claim() + ". Forward SDE ou (θ = 1, g = √2, T = " + p.T() + "), datum x₀ = " + p.x0()
                        + ", start law N(" + p.m0() + ", " + p.v0() + ") at T (not the prior), " + p.n() + " particles. "
                        + "Euler–Maruyama: " + p.steps() + " geometric steps to ε = " + p.eps() + ". DDPM: " + ddpmSteps
                        + " steps only, since its transition is exact.")
                .heading("Moments against M13")
                .table(List.of("sampler", "s", "mean M13", "mean sampled", "rel. err.", "var M13", "var sampled", "rel. err.", "within 5 SE"), table)
                .paragraph("DDPM-posterior identity: the largest difference between the bridge transition of M13 and the DDPM "
                        + "posterior q(x_{k−1} | x_k, x₀) with ᾱ = e^{−2s} (and pdediff's own posterior coefficients) over a grid "
                        + "of time pairs is max_identity_error = " + Report.num(identity) + " (rounding; prediction 0).")
                .image("one_datum.png", "Mean and standard deviation of Y_s: M13 (lines) against Euler–Maruyama and DDPM (markers).");
    }

    private static double[] ddpmGrid(Params p, double[] checks) {
        TimeGrid g = TimeGrid.of(GridKind.GEOMETRIC, p.T(), p.eps(), p.ddpmSteps());
        double[] all = Arrays.copyOf(g.times(), g.steps() + 1 + checks.length);
        System.arraycopy(checks, 0, all, g.steps() + 1, checks.length);
        double[] sorted = Arrays.stream(all).boxed().sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue)
                .distinct().toArray();
        return sorted;
    }

    static double[] moments(Batch x) {
        double m = 0;
        for (int i = 0; i < x.size(); i++) {
            m += x.get(i, 0);
        }
        m /= x.size();
        double v = 0;
        for (int i = 0; i < x.size(); i++) {
            v += (x.get(i, 0) - m) * (x.get(i, 0) - m);
        }
        return new double[] {m, v / (x.size() - 1)};
    }
}
