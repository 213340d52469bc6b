package org.pdediff.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < ts.length; k++) {
            rows.add(row(ds, s, model, ref, withFp, ts[k], rng, k));
        }
        Result result = new Result(model.describe(), ref.describe(), s.spec(), ds.spec(), points, rows);
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

    /** The JSON result (--json, and run.json's {@code results}): the score, its reference, the problem and one row per time. */
    record Result(String score, String reference, String sde, String data, int points, List<Row> rows) {
    }

    /**
     * One time's row: the relative L² error against the reference; the FP residual RMS of the score and of the
     * reference (null without --fp); a foreign network's divergence diagnostics (absent for other scores); the
     * log-density FP residual RMS of a potential network (absent for other scores).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Row(double t, double relL2, Double fpResidualRms, Double fpResidualRmsReference,
               @JsonUnwrapped TorchScriptScore.DivergenceDiagnostics foreign,
               @JsonInclude(JsonInclude.Include.NON_NULL) Double logdensityFpResidualRms) {
    }

    /** One time's row, refused (exit 3) when a value is not finite. */
    private Row row(DataSet ds, Sde s, ScoreModel model, ScoreModel ref, boolean withFp, double t, RandomStream rng, int k) {
        Batch x = ScoreErrors.perturbed(ds.points(), s, t, points, rng.derive(k));
        double relL2 = ScoreErrors.relativeL2(model, ref, x, t);
        Double fpRms = withFp ? (model instanceof TorchScriptScore tss
                ? ScoreDiagnostics.rmsNorm(tss.fpResidual(x, t)) : ScoreDiagnostics.rms(model, x, t)) : null;
        Double fpRmsRef = withFp ? ScoreDiagnostics.rms(ref, x, t) : null;
        TorchScriptScore.DivergenceDiagnostics foreign = model instanceof TorchScriptScore tss
                ? tss.divergenceDiagnostics(x, t, rng.derive("hutchinson").derive(k)) : null;
        Double logDensityRms = null;
        if (model instanceof NeuralScore ns && ns.architecture().parameterisation() == Parameterisation.POTENTIAL) {
            double[] r = ScoreDiagnostics.logDensityResidual(ns::potential, s, x, t);
            double sum = 0;
            for (double v : r) {
                sum += v * v;
            }
            logDensityRms = Math.sqrt(sum / r.length);
        }
        Row row = new Row(t, relL2, fpRms, fpRmsRef, foreign, logDensityRms);
        for (Map.Entry<String, JsonNode> e : Json.MAPPER.<JsonNode>valueToTree(row).properties()) {
            if (e.getValue().isDouble() && !Double.isFinite(e.getValue().doubleValue())) {
                throw new org.pdediff.core.NumericalFailureException("score-check at t = " + t + ": " + e.getKey()
                        + " = " + e.getValue().doubleValue() + " (the score or its reference is not finite at the points of p_t)");
            }
        }
        return row;
    }

    /** score_check.csv and run.json. */
    private void write(OutputSet set, List<Row> rows, Result result, RunRecord rec, DataSet ds) {
        StringBuilder sb = new StringBuilder("t,rel_l2,fp_residual_rms,fp_residual_rms_reference\n");
        for (Row r : rows) {
            sb.append(r.t()).append(',').append(r.relL2()).append(',').append(str(r.fpResidualRms()))
                    .append(',').append(str(r.fpResidualRmsReference())).append('\n');
        }
        AtomicFiles.writeString(set.resolve("score_check.csv"), sb.toString());
        rec.put("seed", seed.value).put("data_hash", ds.hash()).put("results", result);
        rec.writeTo(set.dir());
        set.commit();
    }

    private void print(ScoreModel model, ScoreModel ref, Sde s, List<Row> rows, Result result) {
        var o = spec.commandLine().getOut();
        if (json.value) {
            o.println(Json.pretty(result));
            o.flush();
            return;
        }
        o.printf(Locale.ROOT, "score %s vs %s, %s, %d points per t%n", model.describe(), ref.describe(), s.spec(), points);
        boolean m4 = rows.get(0).logdensityFpResidualRms() != null;
        o.printf(Locale.ROOT, "%10s %12s %16s %16s%s%n", "t", "rel_L2", "FP_res_rms", "FP_res_rms_ref",
                m4 ? String.format(Locale.ROOT, " %16s", "logdens_FP_rms") : "");
        for (Row r : rows) {
            o.printf(Locale.ROOT, "%10.4g %12.4g %16s %16s%s%n", r.t(), r.relL2(), fmt(r.fpResidualRms()), fmt(r.fpResidualRmsReference()),
                    m4 ? String.format(Locale.ROOT, " %16s", fmt(r.logdensityFpResidualRms())) : "");
        }
        if (rows.get(0).foreign() != null) {
            o.printf(Locale.ROOT, "%10s %16s %12s %18s %16s%n", "t", "div_mean", "div_se", "div+d/sigma2_min", "LiYau_min");
            for (Row r : rows) {
                TorchScriptScore.DivergenceDiagnostics f = r.foreign();
                o.printf(Locale.ROOT, "%10.4g %16.8g %12.3g %18.6g %16s%n", r.t(), f.divergenceMean(), f.divergenceMeanSe(),
                        f.divergenceMarginMin(), fmt(f.liYauMarginMin()));
            }
        }
        o.flush();
    }

    /** Largest dimension for the FP residual (dense d × d work per point). */
    static final int MAX_FP_DIM = 256;

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

    private static String str(Double v) {
        return v == null ? "" : v.toString();
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
