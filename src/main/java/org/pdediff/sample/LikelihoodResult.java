package org.pdediff.sample;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pdediff.core.SampleStats;

/**
 * Log-likelihoods of points under the model defined by a score's probability-flow ODE (M7). Every quantity is in nats
 * unless its name says bits; bits per dimension are −log p/(d ln 2).
 *
 * @param logpNats      log p_ε(x_i), nats (the mean over probes for Hutchinson)
 * @param stdErrNats    standard error of log p_ε(x_i) over the Hutchinson probes (sd/√K; 0 for the exact trace,
 *                      NaN for a single probe)
 * @param priorLogpNats log π(x_T(x_i)) of the prior at the end of the flow, nats
 * @param dim           dimension d
 * @param nfe           evaluations of the augmented vector field (each: one score evaluation plus the trace)
 * @param steps         accepted steps
 * @param rejected      rejected steps
 */
public record LikelihoodResult(double[] logpNats, double[] stdErrNats, double[] priorLogpNats, int dim, long nfe, int steps,
                               int rejected) {
    /** Number of points. */
    public int size() {
        return logpNats.length;
    }

    /** −log p_ε(x_i)/(d ln 2): bits per dimension of point i. */
    public double bitsPerDim(int i) {
        return -logpNats[i] / (dim * Math.log(2));
    }

    /** Mean of log p_ε over the points, nats. */
    public double meanLogpNats() {
        double s = 0;
        for (double v : logpNats) {
            s += v;
        }
        return s / logpNats.length;
    }

    /** Mean negative log-likelihood, nats. */
    public double meanNllNats() {
        return -meanLogpNats();
    }

    /** Mean bits per dimension. */
    public double meanBitsPerDim() {
        return meanNllNats() / (dim * Math.log(2));
    }

    /**
     * Standard error of {@link #meanLogpNats} from the probes alone (√(Σ se_i²)/n; probes are independent across
     * points); 0 for the exact trace.
     */
    public double meanStdErrNats() {
        double s = 0;
        for (double v : stdErrNats) {
            s += v * v;
        }
        return Math.sqrt(s) / stdErrNats.length;
    }

    /**
     * The summary of an evaluation, JSON-ready (snake_case keys in component order), with a dequantisation's offset
     * d·ln Δ added to every log-likelihood (see {@link Dequantization}).
     *
     * @param n                 points
     * @param d                 dimension
     * @param meanLogpNats      mean log p, nats (with the offset)
     * @param meanNllNats       −meanLogpNats
     * @param meanBitsPerDim    −meanLogpNats/(d ln 2)
     * @param stdErrNats        {@link #meanStdErrNats}
     * @param stdErrBitsPerDim  the same in bits per dimension
     * @param sdLogpNats        standard deviation of log p over the points (without the offset; it is the same)
     * @param dequantized       the dequantisation's part (absent for continuous data)
     * @param nfe               {@link #nfe}
     * @param steps             {@link #steps}
     * @param rejected          {@link #rejected}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(int n, int d, double meanLogpNats, double meanNllNats, double meanBitsPerDim, double stdErrNats,
                          double stdErrBitsPerDim, double sdLogpNats, @JsonUnwrapped Dequantized dequantized, long nfe, int steps,
                          int rejected) {
    }

    /**
     * @param dequantize                 the dequantisation's spec
     * @param dequantizeOffsetNats       d·ln Δ, nats
     * @param dequantizeOffsetBitsPerDim the same in bits per dimension
     * @param continuousMeanLogpNats     mean log p of the dequantised (continuous) points, without the offset
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Dequantized(String dequantize, double dequantizeOffsetNats, double dequantizeOffsetBitsPerDim,
                              double continuousMeanLogpNats) {
    }

    /** The {@link Summary}, with the offset of {@code deq} (null: continuous data, no offset). */
    public Summary summary(Dequantization deq) {
        double ln2d = dim * Math.log(2);
        double offsetNats = deq == null ? 0 : deq.offsetNats(dim);
        double meanLp = meanLogpNats() + offsetNats;
        Dequantized dq = deq == null ? null : new Dequantized(deq.spec(), offsetNats, deq.offsetBitsPerDim(), meanLogpNats());
        return new Summary(size(), dim, meanLp, -meanLp, -meanLp / ln2d, meanStdErrNats(), meanStdErrNats() / ln2d,
                SampleStats.sd(logpNats), dq, nfe, steps, rejected);
    }
}
