package org.pdediff.experiment.demo;

import java.util.List;
import java.util.Map;
import org.pdediff.experiment.ResultJson;

/**
 * What the demo measured: summary.json (and run.json's {@code summary}), through {@link ResultJson} (keys: the
 * components in snake case, in this order).
 *
 * @param data                       the training set's spec
 * @param sde                        the forward SDE's spec
 * @param eps                        the stopping time ε
 * @param trainSeconds               training wall time, rounded to 1 ms
 * @param trainStepsPerS             training steps per second, rounded to 0.001
 * @param runs                       one row per (score, sampler)
 * @param c1PredictedMeanNearestDist claim C1's mean distance √(π/2)·σ(ε)/α(ε) of exact-score samples to the training set
 * @param w2TrainToTest              exact W2 between the training set and the first held-out set (n rows each)
 * @param generalisation             the generalisation check
 * @param fpResidualRms              the score-FP residual (M5) per time (key: the time as Java prints it)
 * @param likelihood                 mean NLLs through the probability-flow ODE
 * @param fp                         the forward Fokker–Planck solve on a grid (its keys inline)
 */
public record Summary(String data, String sde, double eps, double trainSeconds, double trainStepsPerS, List<RunRow> runs,
                      double c1PredictedMeanNearestDist, double w2TrainToTest, Generalisation generalisation,
                      Map<String, Residual> fpResidualRms, Likelihoods likelihood, @ResultJson.Inline FpGrid fp) {
    public Summary {
        runs = List.copyOf(runs);
    }

    /** The JSON object of the summary (summary.json, and {@code --json}'s line). */
    public Map<String, Object> toJson() {
        return ResultJson.object(this);
    }

    /**
     * √(mean_i |r(x_i, t)|²) over held-out points x_i of the score Fokker–Planck residual r (M5) at one time t, see
     * {@link org.pdediff.score.ScoreDiagnostics#rms}.
     *
     * @param exact   of the exact score (finite-difference error only: it solves M5)
     * @param network of the trained network (the defect that separates its ODE and SDE laws, C7)
     */
    public record Residual(double exact, double network) {
    }

    /**
     * Mean negative log-likelihood (nats) at ε of training and held-out points, by the instantaneous change of variables
     * along the probability-flow ODE (M7, exact trace).
     *
     * @param trainNllNats of training points
     * @param testNllNats  of held-out points
     */
    public record Nll(double trainNllNats, double testNllNats) {
    }

    /**
     * The NLLs of both scores: the exact score of the training set gives its own points far the higher likelihood
     * (memorisation); a network that generalises gives both about the same.
     *
     * @param exact   of the exact score
     * @param network of the network
     */
    public record Likelihoods(Nll exact, Nll network) {
    }

    /**
     * The forward Fokker–Planck density (M3) on a grid, solved from the exact law of the training set at a start time,
     * against the closed form at the particles' time.
     *
     * @param fpGrid                the grid, described
     * @param fpL1ErrorVsClosedForm L¹ distance of the solution to the closed-form cell averages
     * @param fpMassError           |mass(solution) − mass(start)|
     */
    public record FpGrid(String fpGrid, double fpL1ErrorVsClosedForm, double fpMassError) {
    }
}
