package org.pdediff.experiment.demo;

import org.pdediff.metrics.HeldOutW2;

/**
 * One (score, sampler) run of the demo as a row of summary.json's {@code runs} (keys: the components in snake case,
 * see {@link org.pdediff.experiment.ResultJson}). The single-set figures (memorisation, W2 to the first held-out set,
 * mean W2 to the K held-out sets, MATH.md §8) are those of the first generated set; the paired figures pair
 * generated set k with held-out set k, k &lt; {@code generatedSets}, and their ratio to the training-set floor is
 * R = mean_k W2(generated_k, held-out_k) / mean_k W2(training set, held-out_k) ({@link HeldOutW2.Ratio}).
 *
 * @param score                   {@code exact} or {@code network}
 * @param sampler                 {@code sde} (reverse SDE, M6) or {@code ode} (probability-flow ODE, M7)
 * @param nfe                     score evaluations per particle
 * @param seconds                 sampling wall time, rounded to 1 ms
 * @param meanNearestDist         mean distance of the first set to its nearest training point (claim C1)
 * @param fractionWithin          fraction of the first set within δ of a training point
 * @param delta                   δ
 * @param w2ToTest                exact W2 of the first set to the first held-out set
 * @param w2ToHeldOutMean         mean W2 of the first set to the K held-out sets
 * @param w2ToHeldOutSd           their standard deviation
 * @param generatedSets           generated sets of n samples (K of the paired estimator)
 * @param w2PairedMean            mean_k W2(generated_k, held-out_k)
 * @param w2PairedSd              its per-set standard deviation
 * @param w2PairedValues          the K paired distances
 * @param ratioToFloorPairedMean  R
 * @param ratioToFloorPairedSd    the standard deviation of the per-set ratios
 * @param ratioToFloorPairedSe    the standard error of R (delta method)
 */
public record RunRow(String score, String sampler, long nfe, double seconds, double meanNearestDist, double fractionWithin,
                     double delta, double w2ToTest, double w2ToHeldOutMean, double w2ToHeldOutSd, int generatedSets,
                     double w2PairedMean, double w2PairedSd, double[] w2PairedValues, double ratioToFloorPairedMean,
                     double ratioToFloorPairedSd, double ratioToFloorPairedSe) {
    public RunRow {
        w2PairedValues = w2PairedValues.clone();
    }

    /** Whether this is a run of the trained network (else of the exact score). */
    public boolean isNetwork() {
        return score.equals("network");
    }

    /** The paired held-out W2 of this run (its K values). */
    public HeldOutW2 paired() {
        return new HeldOutW2(w2PairedMean, w2PairedSd, w2PairedValues);
    }

    @Override
    public double[] w2PairedValues() {
        return w2PairedValues.clone();
    }
}
