package org.pdediff.metrics;

import org.ejml.data.DMatrixRMaj;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** The Bures–Wasserstein closed form between Gaussians (M15) and the symmetric square root it needs. */
final class Bures {
    private Bures() {
    }

    /** |m₁ − m₂|² + tr(S₁ + S₂ − 2 (S₂^{½} S₁ S₂^{½})^{½})  (M15), clipped at 0. */
    static double w2Squared(double[] m1, double[] s1, double[] m2, double[] s2) {
        int d = m1.length;
        requireDenseDim(d);
        double mean = 0;
        for (int k = 0; k < d; k++) {
            mean += (m1[k] - m2[k]) * (m1[k] - m2[k]);
        }
        DMatrixRMaj r2 = sqrtPsd(s2, d);
        DMatrixRMaj a = DMatrixRMaj.wrap(d, d, s1.clone());
        DMatrixRMaj t = new DMatrixRMaj(d, d);
        DMatrixRMaj mid = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(r2, a, t);
        CommonOps_DDRM.mult(t, r2, mid);
        DMatrixRMaj cross = sqrtPsd(mid.data, d);
        double tr = 0;
        for (int k = 0; k < d; k++) {
            tr += s1[k * d + k] + s2[k * d + k] - 2 * cross.get(k, k);
        }
        double w2 = Math.max(0, mean + tr);
        if (!Double.isFinite(mean + tr)) {
            throw new NumericalFailureException("Bures-W2 is " + (mean + tr) + " (the moments overflow double precision);"
                    + " rescale the samples");
        }
        return w2;
    }

    /**
     * Largest dimension of dense d×d work (a symmetric eigen-decomposition costs about 10·d³ flops: d = 2000 is
     * ~1e11, about a minute on two cores): above it the work would run for minutes, so it is refused.
     */
    static final int MAX_DENSE_DIM = 2000;

    static void requireDenseDim(int d) {
        if (d > MAX_DENSE_DIM) {
            throw new InvalidInputException("Bures-W2 in d = " + d + " needs dense " + d + " x " + d
                    + " eigen-decompositions (minutes or more); the limit is d = " + MAX_DENSE_DIM);
        }
    }

    /** The symmetric PSD square root of a symmetric matrix (symmetrised first; negative eigenvalues clipped to 0). */
    static DMatrixRMaj sqrtPsd(double[] s, int d) {
        requireDenseDim(d);
        for (double v : s) {
            if (!Double.isFinite(v)) {
                throw new NumericalFailureException("Bures-W2: a covariance entry is " + v
                        + " (the sample's second moments overflow double precision); rescale the samples");
            }
        }
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m.set(i, j, 0.5 * (s[i * d + j] + s[j * d + i]));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("eigen-decomposition failed");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double lam = Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    out.add(i, j, lam * v.get(i) * v.get(j));
                }
            }
        }
        return out;
    }
}
