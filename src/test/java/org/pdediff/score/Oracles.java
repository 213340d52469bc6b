package org.pdediff.score;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.simple.SimpleMatrix;
import org.pdediff.core.Batch;
import org.pdediff.data.GaussianMixture;

/**
 * Independent closed forms and finite differences for the score tests. The log-densities are written from their
 * definitions, with EJML (not pdediff's Linalg) for inverses and determinants.
 */
final class Oracles {
    private Oracles() {
    }

    /** log p_t(x) for p_t = (1/N) Σ_j N(αy_j, σ²I), by log-sum-exp. */
    static double logFinite(Batch y, double a, double s2, double[] x) {
        int n = y.size();
        int d = y.dim();
        double[] e = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double r2 = 0;
            for (int k = 0; k < d; k++) {
                double v = x[k] - a * y.get(j, k);
                r2 += v * v;
            }
            e[j] = -r2 / (2 * s2);
            max = Math.max(max, e[j]);
        }
        double sum = 0;
        for (double v : e) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - Math.log(n) - 0.5 * d * Math.log(2 * Math.PI * s2);
    }

    /** V_k = α²Σ_k + σ²I of component k. */
    static SimpleMatrix v(GaussianMixture law, int k, double a, double s2) {
        int d = law.dim();
        SimpleMatrix v = new SimpleMatrix(d, d, true, law.covariance(k)).scale(a * a);
        return v.plus(SimpleMatrix.identity(d).scale(s2));
    }

    /** log p_t(x) = log Σ w_k N(x; αμ_k, V_k), by log-sum-exp. */
    static double logMixture(GaussianMixture law, double a, double s2, double[] x) {
        int d = law.dim();
        int kk = law.components();
        double[] e = new double[kk];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < kk; k++) {
            SimpleMatrix v = v(law, k, a, s2);
            double[] mu = law.mean(k);
            SimpleMatrix r = new SimpleMatrix(d, 1);
            for (int j = 0; j < d; j++) {
                r.set(j, 0, x[j] - a * mu[j]);
            }
            double q = r.transpose().mult(v.solve(r)).get(0, 0);
            e[k] = Math.log(law.weight(k)) - 0.5 * Math.log(v.determinant()) - 0.5 * q;
            max = Math.max(max, e[k]);
        }
        double sum = 0;
        for (double v : e) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - 0.5 * d * Math.log(2 * Math.PI);
    }

    /** Central-difference gradient of f at x with step h. */
    static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int b = 0; b < x.length; b++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[b] += h;
            m[b] -= h;
            g[b] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * h);
        }
        return g;
    }

    /** Central-difference Jacobian (row-major, ∂s_a/∂x_b) of a vector field at x with step h. */
    static double[] jacobian(Function<double[], double[]> s, double[] x, double h) {
        int d = x.length;
        double[] j = new double[d * d];
        for (int b = 0; b < d; b++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[b] += h;
            m[b] -= h;
            double[] sp = s.apply(p);
            double[] sm = s.apply(m);
            for (int a = 0; a < d; a++) {
                j[a * d + b] = (sp[a] - sm[a]) / (2 * h);
            }
        }
        return j;
    }

    /** The score of one point through the batched interface. */
    static double[] score(ScoreModel model, double[] x, double t) {
        return model.score(Batch.wrap(x.clone(), 1, x.length), t).data();
    }

    /** The smallest eigenvalue of a symmetric d × d row-major matrix (EJML's symmetric QR algorithm). */
    static double minEigenvalue(double[] m, int d) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, m))) {
            throw new IllegalStateException("eigen decomposition failed");
        }
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < d; i++) {
            min = Math.min(min, eig.getEigenvalue(i).real);
        }
        return min;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
