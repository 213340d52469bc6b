package org.pdediff.sample;

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
}
