package org.pdediff.train;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.pdediff.core.Batch;
import org.pdediff.sde.Sde;

/**
 * Input scaling from the data's mean μ and mean per-coordinate variance v (EDM-style c_in): the marginal p_t has mean
 * α(t)μ and per-coordinate variance α(t)²v + σ(t)², so u = c_in(t)(x − α(t)μ) with c_in = 1/√(α²v + σ²) is O(1)
 * for every t and every SDE of M1 (including VE, whose σ reaches 50).
 *
 * <p>Optionally a covariance model for {@link Skip#COVARIANCE}: the K leading eigenpairs (λ_q, u_q) of the data
 * covariance and the mean ρ of its other d − K eigenvalues, Σ̂ = Σ_q λ_q u_q u_qᵀ + ρ(I − UUᵀ) (Σ̂ = Σ when K = d).
 *
 * @param mean        μ (length d)
 * @param variance    v &gt; 0
 * @param eigenvalues λ_1 ≥ … ≥ λ_K ≥ 0 (length K; empty without a covariance model)
 * @param basis       U, row-major d × K with orthonormal columns u_q (length d·K)
 * @param rest        ρ &gt; 0, the mean of the remaining eigenvalues (v when K = 0 or K = d)
 */
public record Preconditioning(double[] mean, double variance, double[] eigenvalues, double[] basis, double rest) {
    /** Largest K kept by {@link #withCovariance}: the basis is stored in the model file (d·K numbers). */
    public static final int MAX_RANK = 128;

    public Preconditioning {
        mean = mean.clone();
        eigenvalues = eigenvalues == null ? new double[0] : eigenvalues.clone();
        basis = basis == null ? new double[0] : basis.clone();
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("data variance must be finite and > 0, got " + variance);
        }
        if (basis.length != mean.length * eigenvalues.length) {
            throw new IllegalArgumentException("covariance basis has " + basis.length + " entries, need d·K = "
                    + mean.length + "·" + eigenvalues.length);
        }
        for (double l : eigenvalues) {
            if (!(l >= 0) || !Double.isFinite(l)) {
                throw new IllegalArgumentException("covariance eigenvalues must be finite and >= 0, got " + l);
            }
        }
        if (!(rest > 0) || !Double.isFinite(rest)) {
            throw new IllegalArgumentException("covariance rest eigenvalue must be finite and > 0, got " + rest);
        }
    }

    /** Mean and variance only (no covariance model). */
    public Preconditioning(double[] mean, double variance) {
        this(mean, variance, null, null, variance);
    }

    /** μ and v of a data set (v floored at 1e-12 so that a one-point data set still works). */
    public static Preconditioning of(Batch data) {
        double[] m = data.mean();
        double[] c = data.covariance();
        return new Preconditioning(m, meanVariance(c, data.dim()));
    }

    private static double meanVariance(double[] c, int d) {
        double v = 0;
        for (int j = 0; j < d; j++) {
            v += c[j * d + j];
        }
        return Math.max(v / d, 1e-12);
    }

    /**
     * μ, v and the covariance model with K = min(d, {@link #MAX_RANK}) leading eigenpairs of the sample covariance
     * (symmetric eigen-decomposition, EJML); ρ = (tr Σ − Σ_q λ_q)/(d − K), floored at 1e-12 (v when K = d).
     */
    public static Preconditioning withCovariance(Batch data) {
        int d = data.dim();
        double[] c = data.covariance();
        double v = meanVariance(c, d);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, c))) {
            throw new IllegalStateException("eigen-decomposition of the data covariance failed");
        }
        Integer[] order = new Integer[d];
        for (int q = 0; q < d; q++) {
            order[q] = q;
        }
        Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).getReal(), eig.getEigenvalue(p).getReal()));
        int k = Math.min(d, MAX_RANK);
        double[] lam = new double[k];
        double[] u = new double[d * k];
        double kept = 0;
        for (int q = 0; q < k; q++) {
            lam[q] = Math.max(0, eig.getEigenvalue(order[q]).getReal());
            kept += lam[q];
            DMatrixRMaj vec = eig.getEigenVector(order[q]);
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += vec.get(j) * vec.get(j);
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                u[j * k + q] = vec.get(j) / norm;
            }
        }
        double rest = k == d ? v : Math.max((v * d - kept) / (d - k), 1e-12);
        return new Preconditioning(data.mean(), v, lam, u, rest);
    }

    /** K, the number of eigenpairs of the covariance model (0 without one). */
    public int rank() {
        return eigenvalues.length;
    }

    /** c_in(t) = 1/√(α²v + σ²). */
    public double cin(Sde sde, double t) {
        double a = sde.alpha(t);
        return 1 / Math.sqrt(a * a * variance + sde.sigma2(t));
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public double[] basis() {
        return basis.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preconditioning p && Arrays.equals(mean, p.mean) && variance == p.variance
                && Arrays.equals(eigenvalues, p.eigenvalues) && Arrays.equals(basis, p.basis) && rest == p.rest;
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(mean) * 31 + Double.hashCode(variance)) * 31 + Arrays.hashCode(eigenvalues);
    }
}
