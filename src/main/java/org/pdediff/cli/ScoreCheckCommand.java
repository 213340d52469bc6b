package org.pdediff.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.OutputSet;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RandomStream;
import org.pdediff.core.RunRecord;
import org.pdediff.core.Sizes;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.GaussianMixtureScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.score.torchscript.TorchScriptScore;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import org.pdediff.train.Checkpoint;
import org.pdediff.score.ScoreDiagnostics;
import org.pdediff.score.WithJacobian;
import org.pdediff.train.NeuralScore;
import org.pdediff.train.Parameterisation;
import org.pdediff.train.ScoreErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff score-check}: per time t, the relative L² error of a score against the analytic score of the data law
 * (M11) or, when the law is unknown, the exact finite-data score (M10), on points of p_t; and the RMS norm of the
 * score-FP residual (M5) of the score and of the reference, by float64 central differences; for a potential model
 * also the RMS of its log-density FP residual (M4, key {@code logdensity_fp_residual_rms}).
 */
@Command(name = "score-check", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Compare a score (e.g. model:PATH) with the exact/analytic score per t, and report its"
                + " Fokker-Planck (M5) residual norm per t.")
public final class ScoreCheckCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.Seed seed;

    @Mixin
    SharedOptions.JsonOutput json;

    @Mixin
    SharedOptions.RequiredScore score;

    @Mixin
    SharedOptions.RequiredData data;

    @Mixin
    SharedOptions.ModelSde sde;

    @Option(names = "--reference", defaultValue = "auto", description = "Reference: auto (gmm when the law is known, else exact), gmm or exact.")
    String reference;

    @Option(names = "--times", split = ",", description = "Times t (default: 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1 times T).")
    double[] times;

    @Option(names = "--points", defaultValue = "1000", description = "Points of p_t per time.")
    int points;

    @Option(names = "--fp", defaultValue = "auto", description = "FP residual: auto (only when d <= 8), on or off.")
    String fp;


    @Option(names = "--out", description = "Optional output folder for score_check.csv and run.json. Default: none (print only).")
    Path out;


    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (points < 1) {
            throw new InvalidInputException("--points must be >= 1");
        }
        try (OutputSet set = out == null ? null : OutputSet.open(out, Inputs.of(data.value, score.value))) {
            return run(set);
        }
    }

    private int run(OutputSet set) {
        DataSet ds = DataSets.parse(data.value);
        String sc = score.value.strip();
        Sde s = sde(sc);
        ScoreModel model = Scores.create(sc, ds, s);
        if (model.dim() != ds.dim()) {
            throw new InvalidInputException("score has dimension " + model.dim() + ", data set has " + ds.dim());
        }
        String refKind = switch (reference.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> ds.law().isPresent() ? "gmm" : "exact";
            case "gmm", "analytic" -> "gmm";
            case "exact" -> "exact";
            default -> throw new InvalidInputException("--reference must be auto, gmm or exact, got " + reference);
        };
        ScoreModel ref = refKind.equals("gmm")
                ? new GaussianMixtureScore(s, ds.law().orElseThrow(() -> new InvalidInputException(
                        "--reference gmm needs a data set whose law is known (gaussian, gmm, blob)")))
                : new FiniteDataScore(s, ds.points());
        boolean withFp = withFp(ds.dim());
        double[] ts = times(s);
        // per time: the points, their scores and, with the FP residual, the central-difference stencil (2d + 1 shifted
        // copies) and a d × d Jacobian per point
        int dd = ds.dim();
        Sizes.doubles("--points " + points + " in d = " + dd, points, dd);
        Sizes.requireHeap("--points " + points + " in d = " + dd, Sizes.product("--points", points, dd, 8L * (withFp ? 4L * dd + 12 : 8)));
        double scale = 1;
        for (double v : ds.points().data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (double t : ts) {
            requireResolvable(s, t, scale, withFp);
        }
        RandomStream rng = RandomStream.of(seed.value).derive("score-check");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int k = 0; k < ts.length; k++) {
            rows.add(row(ds, s, model, ref, withFp, ts[k], rng, k));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("score", model.describe());
        result.put("reference", ref.describe());
        result.put("sde", s.spec());
        result.put("data", ds.spec());
        result.put("points", points);
        result.put("rows", rows);
        if (set != null) {
            write(set, rows, result, new RunRecord("score-check").param("score", sc).param("data", ds.spec()).param("sde", s.spec())
                    .param("reference", refKind).param("points", points).param("times", ts), ds);
        }
        print(model, ref, s, rows, result);
        return 0;
    }

    /** The SDE: --sde, else a model's own, else vp. */
    private Sde sde(String sc) {
        if (sde.value != null) {
            return Sdes.parse(sde.value);
        }
        if (SharedOptions.isModel(sc)) {
            return Checkpoint.read(Path.of(sc.substring("model:".length()).strip())).sde();
        }
        return Sdes.parse("vp");
    }

    private boolean withFp(int d) {
        boolean withFp = switch (fp.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> d <= 8;
            case "on" -> true;
            case "off" -> false;
            default -> throw new InvalidInputException("--fp must be auto, on or off, got " + fp);
        };
        if (withFp && d > MAX_FP_DIM) {
            throw new InvalidInputException("--fp on in d = " + d + ": the FP residual's central differences cost"
                    + " 2d + 1 score evaluations and a d x d Jacobian per point (minutes or more); the limit is d = "
                    + MAX_FP_DIM + " (use --fp off)");
        }
        return withFp;
    }

    /** --times, or 0.01 … 1 times T; checked to lie in (0, T]. */
    private double[] times(Sde s) {
        double[] ts = times;
        if (ts == null) {
            double[] f = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1};
            ts = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                ts[k] = f[k] * s.T();
            }
        }
        for (double t : ts) {
            if (!(t > 0) || t > s.T()) {
                throw new InvalidInputException("--times must lie in (0, T = " + s.T() + "], got " + t);
            }
        }
        return ts;
    }

    /** One time's row: the relative error against the reference, the FP residuals and a foreign network's diagnostics. */
    private Map<String, Object> row(DataSet ds, Sde s, ScoreModel model, ScoreModel ref, boolean withFp, double t,
                                    RandomStream rng, int k) {
        Batch x = ScoreErrors.perturbed(ds.points(), s, t, points, rng.derive(k));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("t", t);
        row.put("rel_l2", ScoreErrors.relativeL2(model, ref, x, t));
        row.put("fp_residual_rms", withFp ? (model instanceof TorchScriptScore tss
                ? ScoreDiagnostics.rmsNorm(tss.fpResidual(x, t)) : ScoreDiagnostics.rms(model, x, t)) : null);
        row.put("fp_residual_rms_reference", withFp ? ScoreDiagnostics.rms(ref, x, t) : null);
        if (model instanceof TorchScriptScore tss) {
            foreignDiagnostics(tss, x, t, rng.derive("hutchinson").derive(k), row);
        }
        if (model instanceof NeuralScore ns && ns.architecture().parameterisation() == Parameterisation.POTENTIAL) {
            double[] r = ScoreDiagnostics.logDensityResidual(ns::potential, s, x, t);
            double sum = 0;
            for (double v : r) {
                sum += v * v;
            }
            row.put("logdensity_fp_residual_rms", Math.sqrt(sum / r.length));
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof Double v && !Double.isFinite(v)) {
                throw new org.pdediff.core.NumericalFailureException("score-check at t = " + t + ": " + e.getKey()
                        + " = " + v + " (the score or its reference is not finite at the points of p_t)");
            }
        }
        return row;
    }

    /** score_check.csv and run.json. */
    private void write(OutputSet set, List<Map<String, Object>> rows, Map<String, Object> result, RunRecord rec, DataSet ds) {
        StringBuilder sb = new StringBuilder("t,rel_l2,fp_residual_rms,fp_residual_rms_reference\n");
        for (Map<String, Object> r : rows) {
            sb.append(r.get("t")).append(',').append(r.get("rel_l2")).append(',').append(str(r.get("fp_residual_rms")))
                    .append(',').append(str(r.get("fp_residual_rms_reference"))).append('\n');
        }
        AtomicFiles.writeString(set.resolve("score_check.csv"), sb.toString());
        rec.put("seed", seed.value).put("data_hash", ds.hash()).put("results", result);
        rec.writeTo(set.dir());
        set.commit();
    }

    private void print(ScoreModel model, ScoreModel ref, Sde s, List<Map<String, Object>> rows, Map<String, Object> result) {
        var o = spec.commandLine().getOut();
        if (json.value) {
            o.println(Json.pretty(result));
            o.flush();
            return;
        }
        o.printf(Locale.ROOT, "score %s vs %s, %s, %d points per t%n", model.describe(), ref.describe(), s.spec(), points);
        boolean m4 = rows.get(0).containsKey("logdensity_fp_residual_rms");
        o.printf(Locale.ROOT, "%10s %12s %16s %16s%s%n", "t", "rel_L2", "FP_res_rms", "FP_res_rms_ref",
                m4 ? String.format(Locale.ROOT, " %16s", "logdens_FP_rms") : "");
        for (Map<String, Object> r : rows) {
            o.printf(Locale.ROOT, "%10.4g %12.4g %16s %16s%s%n", (Double) r.get("t"), (Double) r.get("rel_l2"),
                    fmt(r.get("fp_residual_rms")), fmt(r.get("fp_residual_rms_reference")),
                    m4 ? String.format(Locale.ROOT, " %16s", fmt(r.get("logdensity_fp_residual_rms"))) : "");
        }
        if (rows.get(0).containsKey("divergence_mean")) {
            o.printf(Locale.ROOT, "%10s %16s %12s %18s %16s%n", "t", "div_mean", "div_se", "div+d/sigma2_min", "LiYau_min");
            for (Map<String, Object> r : rows) {
                o.printf(Locale.ROOT, "%10.4g %16.8g %12.3g %18.6g %16s%n", (Double) r.get("t"), (Double) r.get("divergence_mean"),
                        (Double) r.get("divergence_mean_se"), (Double) r.get("divergence_margin_min"), fmt(r.get("li_yau_margin_min")));
            }
        }
        o.flush();
    }

    /** Largest dimension for the FP residual (dense d × d work per point). */
    static final int MAX_FP_DIM = 256;

    /**
     * Divergence and Li–Yau diagnostics of a foreign network (M14, claim C3) by autograd: for d ≤
     * {@link TorchScriptScore#EXACT_MAX_DIM} the exact divergence mean and the smallest Li–Yau margin
     * λ_min(sym ∇s) + 1/σ² over the points; for larger d a Hutchinson estimate (16 probes) of the mean divergence with
     * its standard error. Also the smallest trace margin ∇·s + d/σ² (≥ 0 for every exact score).
     */
    private static void foreignDiagnostics(TorchScriptScore m, Batch x, double t, RandomStream rng, Map<String, Object> row) {
        int n = x.size();
        int d = x.dim();
        double inv = 1 / m.sde().sigma2(t);
        double[] div;
        double se = 0;
        if (m instanceof WithJacobian) {
            double[] jac = new double[n * d * d];
            m.jacobian(x, t, jac);
            double[] ly = ScoreDiagnostics.liYauMargin(jac, d, m.sde().sigma2(t));
            double minLy = Double.POSITIVE_INFINITY;
            div = new double[n];
            for (int i = 0; i < n; i++) {
                minLy = Math.min(minLy, ly[i]);
                for (int a = 0; a < d; a++) {
                    div[i] += jac[(i * d + a) * d + a];
                }
            }
            row.put("li_yau_margin_min", minLy);
        } else {
            TorchScriptScore.DivergenceEstimate h = m.hutchinson(x, t, 16, rng);
            div = h.mean();
            for (double e : h.stderr()) {
                se += e * e;
            }
            se = Math.sqrt(se) / n;
        }
        double mean = 0;
        double minTr = Double.POSITIVE_INFINITY;
        for (double v : div) {
            mean += v / n;
            minTr = Math.min(minTr, v + d * inv);
        }
        row.put("divergence_mean", mean);
        row.put("divergence_mean_se", m instanceof WithJacobian ? 0.0 : se);
        row.put("divergence_margin_min", minTr);
    }

    /** Smallest σ(t)/scale at which a score's relative error from the rounding of the points stays below ~2e-4. */
    static final double SIGMA_MIN_SCORE = 1e-12;
    /** The same for the FP residual, whose central differences use steps h = 1e-3·σ(t). */
    static final double SIGMA_MIN_FP = 1e-9;

    /**
     * Refuses a time whose σ(t) is too small to be resolved in float64 at points of size {@code scale}: the points of
     * p_t are αx₀ + σz, rounded to ulp(scale) ≈ 2.2e-16·scale, so the score (∝ (x − αy)/σ²) carries a relative
     * error of about ulp(scale)/σ, and the FP residual's central differences (step 1e-3·σ) about 1e3 times that.
     * Below {@link #SIGMA_MIN_SCORE}·scale (resp. {@link #SIGMA_MIN_FP}·scale with the FP residual) the numbers would
     * be rounding, or exactly 0 and 1 once σ underflows, so the time is refused with the smallest usable time.
     */
    static void requireResolvable(Sde s, double t, double scale, boolean withFp) {
        double limit = (withFp ? SIGMA_MIN_FP : SIGMA_MIN_SCORE) * scale;
        if (!(s.sigma(t) >= limit)) {
            // σ increases with t for every catalogue SDE: bisect for the smallest usable time
            double lo = 0;
            double hi = s.T();
            for (int i = 0; i < 200 && hi - lo > 1e-3 * hi; i++) {
                double mid = lo > 0 ? Math.sqrt(lo * hi) : 0.5 * hi;
                if (mid <= Double.MIN_NORMAL) {
                    break;
                }
                if (s.sigma(mid) >= limit) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            throw new InvalidInputException(String.format(Locale.ROOT, "--times %s: sigma(t) = %.3g is below %.0e x the data"
                    + " scale %.3g, too small to resolve in float64%s; use t >= %.3g", t, s.sigma(t),
                    withFp ? SIGMA_MIN_FP : SIGMA_MIN_SCORE, scale, withFp ? " with the FP residual (or --fp off)" : "", hi));
        }
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String fmt(Object v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", (Double) v);
    }
}
