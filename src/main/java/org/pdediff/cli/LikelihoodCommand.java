package org.pdediff.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.OutputSet;
import org.pdediff.core.RunRecord;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sample.ButcherTableau;
import org.pdediff.sample.Dequantization;
import org.pdediff.sample.Likelihood;
import org.pdediff.sample.LikelihoodResult;
import org.pdediff.sample.TraceEstimator;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff likelihood}: log p_ε of data points under a score's probability-flow ODE (M7) by the instantaneous
 * change of variables ({@link Likelihood}); writes DIR/likelihood.csv (one row per point) and DIR/run.json.
 */
@Command(name = "likelihood", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Log-likelihood of points through the probability-flow ODE: log p_eps(x) = log prior(x_T) + integral"
                + " of div F, in nats and bits per dimension; writes DIR/likelihood.csv and DIR/run.json.")
public final class LikelihoodCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.FolderRun common;

    @Mixin
    SharedOptions.RequiredData data;

    @Mixin
    SharedOptions.Score score;

    @Mixin
    SharedOptions.ModelSde sde;

    @Option(names = "--points", description = "Data spec of the points to evaluate (default: the --data points), e.g. a held-out sample.")
    String points;

    @Option(names = "--n", defaultValue = "0", description = "Evaluate only the first N points (0: all).")
    int n;

    @Option(names = "--eps", defaultValue = "1e-5", description = "Time ε at which the density is evaluated (0 < ε < T).")
    double eps;

    @Option(names = "--trace", defaultValue = "exact", description = "Divergence: exact (the score's divergence or Jacobian) or hutchinson:probes=K.")
    String trace;

    @Option(names = "--rtol", defaultValue = "1e-5", description = "Relative tolerance of the ODE solver.")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Absolute tolerance of the ODE solver.")
    double atol;

    @Option(names = "--solver", defaultValue = "dp45", description = "Embedded Runge-Kutta pair: dp45 or bs23.")
    String solver;

    @Option(names = "--error-norm", defaultValue = "per-point", description = "Step control: per-point (every point meets the"
            + " tolerance) or batch-rms (RMS over the flattened batch, as score_sde's solve_ivp and torchdiffeq).")
    String errorNorm;

    @Option(names = "--dequantize", description = "Uniform dequantisation of discrete data: uniform:levels=L[,low=-1,high=1];"
            + " adds d*ln(bin width) nats (see README). Default: none (continuous data).")
    String dequantize;




    @Override
    public Integer call() {
        Checks.atLeast("--n", n, 0);
        ButcherTableau pair = switch (solver.strip().toLowerCase(Locale.ROOT)) {
            case "dp45" -> ButcherTableau.DORMAND_PRINCE_54;
            case "bs23" -> ButcherTableau.BOGACKI_SHAMPINE_32;
            default -> throw new InvalidInputException("--solver must be dp45 or bs23, got '" + solver + "'");
        };
        TraceEstimator tr = TraceEstimator.parse(trace);
        Likelihood.ErrorControl control = switch (errorNorm.strip().toLowerCase(Locale.ROOT)) {
            case "per-point" -> Likelihood.ErrorControl.PER_POINT;
            case "batch-rms" -> Likelihood.ErrorControl.BATCH_RMS;
            default -> throw new InvalidInputException("--error-norm must be per-point or batch-rms, got '" + errorNorm + "'");
        };
        Dequantization deq = dequantize == null ? null : Dequantization.parse(dequantize);
        Sde requested = sde.requested(score.value);
        Likelihood.builder().eps(eps).trace(tr).rtol(rtol).atol(atol).tableau(pair).seed(common.seed.value).build(); // validates before any work
        try (OutputSet set = OutputSet.open(common.out.value, Inputs.of(data.value, points, score.value))) {
            return run(set, tr, pair, control, deq, requested);
        }
    }

    private int run(OutputSet set, TraceEstimator tr, ButcherTableau pair, Likelihood.ErrorControl control,
            Dequantization deq, Sde requested) {
        DataSet ds = DataSets.parse(data.value);
        DataSet evalSet = points == null ? ds : DataSets.parse(points);
        ScoreModel model = Scores.create(score.value, ds, requested);
        Sde forward = model.sde();
        Checks.stoppingTime(eps, forward.T()); // eps > 0 is checked by the builder in call()
        if (evalSet.dim() != model.dim()) {
            throw new InvalidInputException("--points have dimension " + evalSet.dim() + " but the score has dimension " + model.dim());
        }
        Likelihood.requireTraceAvailable(model, tr);
        Batch x = evalSet.points();
        if (n > 0 && n < x.size()) {
            x = x.rows(0, n);
        }
        Batch y = deq == null ? x : deq.apply(x, common.seed.value, 0);
        RunRecord rec = new RunRecord("likelihood");
        rec.param("data", ds.spec()).param("points", evalSet.spec()).param("n", y.size()).param("sde", forward.spec())
                .param("score", score.value).param("eps", eps).param("trace", tr.spec()).param("solver", pair.name())
                .param("rtol", rtol).param("atol", atol).param("error_norm", errorNorm.strip().toLowerCase(Locale.ROOT))
                .param("dequantize", deq == null ? "none" : deq.spec()).param("seed", common.seed.value);
        rec.put("seed", common.seed.value).put("data_hash", ds.hash()).put("points_hash", evalSet.hash()).put("score", model.describe());
        LikelihoodResult r;
        try (ProgressBars bar = ProgressBars.open("likelihood", !common.json.value)) {
            r = Likelihood.builder().eps(eps).trace(tr).rtol(rtol).atol(atol).tableau(pair).seed(common.seed.value).errorControl(control)
                    .listener(bar.listener()).build().evaluate(model, y, 0);
        }
        int d = y.dim();
        double ln2d = d * Math.log(2);
        String csv = csv(r, deq == null ? 0 : deq.offsetNats(d), ln2d);
        LikelihoodResult.Summary stats = r.summary(deq);
        Summary summary = new Summary(common.out.value.toString(), stats, Math.round(rec.elapsedSeconds() * 1e4) / 1e4);
        AtomicFiles.writeString(set.resolve("likelihood.csv"), csv);
        rec.putAll(stats);
        rec.put("units", "log-likelihoods in nats (natural log); bits_per_dim = -logp_nats/(d ln 2); std_err over Hutchinson probes");
        rec.writeTo(set.dir());
        set.commit();
        if (common.json.value) {
            System.out.println(Json.compact(summary));
        } else {
            System.err.printf(Locale.ROOT, "%d points: mean log p = %.4f nats, %.4f bits/dim (nfe %d, %.2f s); wrote %s%n", r.size(),
                    stats.meanLogpNats(), stats.meanBitsPerDim(), r.nfe(), rec.elapsedSeconds(), common.out.value.resolve("likelihood.csv"));
        }
        return 0;
    }

    /** likelihood.csv: one row per point, log p_ε in nats (with the dequantisation offset), NLL and bits per dimension. */
    private static String csv(LikelihoodResult r, double offsetNats, double ln2d) {
        StringBuilder csv = new StringBuilder("index,logp_nats,nll_nats,bits_per_dim,std_err_nats,prior_logp_nats\n");
        for (int i = 0; i < r.size(); i++) {
            double lp = r.logpNats()[i] + offsetNats;
            csv.append(i).append(',').append(lp).append(',').append(-lp).append(',').append(-lp / ln2d).append(',')
                    .append(r.stdErrNats()[i]).append(',').append(r.priorLogpNats()[i]).append('\n');
        }
        return csv.toString();
    }

    /** The --json line: the output folder, the {@link LikelihoodResult.Summary} (also in run.json) and the wall time. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Summary(String out, @JsonUnwrapped LikelihoodResult.Summary stats, double wallS) {
    }
}
