package org.pdediff.sde;

import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;

/**
 * A forward SDE of the catalogue M1 (MATH.md §2): {@code dX = f(X,t) dt + g(t) dW} with X_t | x₀ ~ N(α(t)x₀, σ(t)²I).
 *
 * <p>Every SDE of the catalogue has a linear drift with a scalar rate, {@code f(x,t) = −a(t)·x}
 * ({@link #driftRate(double)}); vp and subvp have a(t) = β(t)/2, ou has a = θ, ve and heat have a = 0. So
 * ∇·f = −d·a(t), and the marginals are Gaussian convolutions of the data law, which is what makes exact scores and
 * closed-form oracles possible. The prior is N(0, {@link #priorVariance()}·I).
 */
public interface Sde {
    /** Which SDE this is. */
    SdeKind kind();

    /** The terminal time T. */
    double T();

    /** The drift rate a(t) in f(x,t) = −a(t)x. */
    double driftRate(double t);

    /** The squared diffusion coefficient g(t)². */
    double g2(double t);

    /** The diffusion coefficient g(t). */
    default double g(double t) {
        return Math.sqrt(g2(t));
    }

    /** The mean scale α(t) of the transition kernel. */
    double alpha(double t);

    /** The variance σ(t)² of the transition kernel. */
    double sigma2(double t);

    /** σ(t). */
    default double sigma(double t) {
        return Math.sqrt(sigma2(t));
    }

    /** Variance of the prior N(0, v I) that sampling starts from. */
    double priorVariance();

    /** The canonical spec string with every parameter, e.g. {@code vp:bmin=0.1,bmax=20,T=1}. */
    String spec();

    /** f(x, t) for a batch, into {@code out} (modified; may be {@code x} itself). */
    default void drift(Batch x, double t, Batch out) {
        double a = -driftRate(t);
        double[] xi = x.data();
        double[] o = out.data();
        for (int k = 0; k < xi.length; k++) {
            o[k] = a * xi[k];
        }
    }

    /** The divergence ∇·f(x,t) = −d·a(t). */
    default double driftDivergence(int d, double t) {
        return -d * driftRate(t);
    }

    /** Draws {@code n} prior points; point i uses particle stream i of {@code rng} (batch-size independent). */
    default Batch samplePrior(int n, int d, RandomStream rng) {
        Batch b = Batch.zeros(n, d);
        rng.fillNormal(b, 0, 0);
        double s = Math.sqrt(priorVariance());
        double[] a = b.data();
        for (int k = 0; k < a.length; k++) {
            a[k] *= s;
        }
        return b;
    }

    /** Log-density of the prior at each point. */
    default double[] priorLogDensity(Batch x) {
        int d = x.dim();
        double v = priorVariance();
        double c = -0.5 * d * Math.log(2 * Math.PI * v);
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double z = x.get(i, j);
                s += z * z;
            }
            out[i] = c - s / (2 * v);
        }
        return out;
    }
}
