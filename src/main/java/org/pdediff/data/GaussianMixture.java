package org.pdediff.data;

import java.util.Arrays;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Linalg;
import org.pdediff.core.RandomStream;

/**
 * A Gaussian mixture law Σ_k w_k N(μ_k, Σ_k) in R^d (the data laws of gaussian, gmm and blob; M11). Covariances are
 * full, row-major d × d, symmetric positive semi-definite (a zero covariance is a point mass). Immutable: the
 * accessors return copies.
 */
public final class GaussianMixture {
    /**
     * Largest dimension of a catalogue Gaussian law: its d × d covariances, Cholesky factors (d³/3 flops) and the
     * analytic score's inverses are dense; at d = 2000 that is already ~1e10 flops per factor, and beyond it the
     * work would run for minutes.
     */
    public static final int MAX_DENSE_DIM = 2000;
    private final double[] weights;
    private final double[][] means;
    private final double[][] covariances;
    private final int d;

    public GaussianMixture(double[] weights, double[][] means, double[][] covariances) {
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new InvalidInputException("mixture needs the same positive number of weights, means and covariances");
        }
        d = means[0].length;
        double total = 0;
        for (int c = 0; c < k; c++) {
            if (!(weights[c] >= 0) || means[c].length != d || covariances[c].length != d * d) {
                throw new InvalidInputException("mixture component " + c + " has a bad weight or shape");
            }
            total += weights[c];
        }
        if (!(total > 0)) {
            throw new InvalidInputException("mixture weights sum to " + total);
        }
        this.weights = new double[k];
        this.means = new double[k][];
        this.covariances = new double[k][];
        for (int c = 0; c < k; c++) {
            this.weights[c] = weights[c] / total;
            this.means[c] = means[c].clone();
            this.covariances[c] = covariances[c].clone();
        }
    }

    /**
     * The law of αX + σZ for X of this law and Z ~ N(0, I) independent: Σ_k w_k N(αμ_k, α²Σ_k + σ²I). With α = α(t),
     * σ² = σ(t)² it is p_t of a linear SDE of M1 started from this law (M11); the one home of that formula.
     */
    public GaussianMixture scaledAndBlurred(double alpha, double sigma2) {
        int k = weights.length;
        double[][] m = new double[k][d];
        double[][] v = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] cov = covariances[c].clone();
            for (int i = 0; i < d; i++) {
                m[c][i] = alpha * means[c][i];
                for (int j = 0; j < d; j++) {
                    cov[i * d + j] *= alpha * alpha;
                }
                cov[i * d + i] += sigma2;
            }
            v[c] = cov;
        }
        return new GaussianMixture(weights.clone(), m, v, d);
    }

    /** The already normalised and checked parts, taken as they are. */
    private GaussianMixture(double[] weights, double[][] means, double[][] covariances, int d) {
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.d = d;
    }

    /** Equal-weight mixture of isotropic components N(μ_k, std² I). */
    public static GaussianMixture isotropic(double[][] means, double std) {
        int k = means.length;
        int d = means[0].length;
        double[] w = new double[k];
        double[][] cov = new double[k][d * d];
        Arrays.fill(w, 1.0 / k);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                cov[c][j * d + j] = std * std;
            }
        }
        return new GaussianMixture(w, means, cov);
    }

    public int components() {
        return weights.length;
    }

    public int dim() {
        return d;
    }

    public double weight(int k) {
        return weights[k];
    }

    public double[] mean(int k) {
        return means[k].clone();
    }

    public double[] covariance(int k) {
        return covariances[k].clone();
    }

    /** Overall mean Σ w_k μ_k. */
    public double[] mean() {
        double[] m = new double[d];
        for (int c = 0; c < weights.length; c++) {
            for (int j = 0; j < d; j++) {
                m[j] += weights[c] * means[c][j];
            }
        }
        return m;
    }

    /** Overall covariance Σ w_k (Σ_k + μ_k μ_kᵀ) − m mᵀ. */
    public double[] covariance() {
        double[] m = mean();
        double[] c = new double[d * d];
        for (int k = 0; k < weights.length; k++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c[a * d + b] += weights[k] * (covariances[k][a * d + b] + means[k][a] * means[k][b]);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                c[a * d + b] -= m[a] * m[b];
            }
        }
        return c;
    }

    /**
     * Draws {@code n} points; point i uses particle i of the stream (component from a uniform, then d normals
     * through the Cholesky factor), so the first points do not depend on n.
     */
    public Batch sample(int n, RandomStream rng) {
        RandomStream pick = rng.derive("component");
        RandomStream noise = rng.derive("noise");
        double[][] chol = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            chol[k] = Linalg.choleskyPsd(covariances[k], d);
        }
        Batch out = Batch.zeros(n, d);
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            int k = choose(pick.uniform(i, 0));
            long p = noise.particle(i);
            for (int j = 0; j < d; j++) {
                z[j] = RandomStream.normalAt(p, j);
            }
            for (int a = 0; a < d; a++) {
                double s = means[k][a];
                for (int b = 0; b <= a; b++) {
                    s += chol[k][a * d + b] * z[b];
                }
                out.set(i, a, s);
            }
        }
        return out;
    }

    private int choose(double u) {
        double acc = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            acc += weights[k];
            if (u < acc) {
                return k;
            }
        }
        return weights.length - 1;
    }
}
