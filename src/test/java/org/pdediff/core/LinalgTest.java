package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinalgTest {
    @Test
    void choleskyInverseAndLogDetOfA2x2() {
        // A = [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; det = 8; A⁻¹ = (1/8)[[3, −2], [−2, 4]]
        double[] a = {4, 2, 2, 3};
        double[] l = Linalg.cholesky(a, 2);
        assertThat(l).containsExactly(new double[] {2, 0, 1, Math.sqrt(2)}, within(1e-15));
        assertThat(Linalg.inverseFromCholesky(l, 2)).containsExactly(new double[] {3.0 / 8, -2.0 / 8, -2.0 / 8, 4.0 / 8}, within(1e-15));
        assertThat(Linalg.logDetFromCholesky(l, 2)).isCloseTo(Math.log(8), within(1e-15));
    }

    @Test
    void choleskyOfTheClassic3x3() {
        // A = [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] has L = [[2,0,0],[6,1,0],[−8,5,3]], det = 36 (integers: exact)
        double[] a = {4, 12, -16, 12, 37, -43, -16, -43, 98};
        double[] l = Linalg.cholesky(a, 3);
        assertThat(l).containsExactly(2, 0, 0, 6, 1, 0, -8, 5, 3);
        assertThat(Linalg.logDetFromCholesky(l, 3)).isCloseTo(Math.log(36), within(1e-14));
        double[] b = {1, 2, 3};
        Linalg.solveCholesky(l, 3, b);
        // check A b = (1, 2, 3): residual at rounding level (condition number of A is ~ 1e3)
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += a[i * 3 + j] * b[j];
            }
            assertThat(s).isCloseTo(i + 1, within(1e-11));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8})
    void inverseAndLogDetAgreeWithEjmlOnRandomSpdMatrices(int d) {
        RandomStream rng = RandomStream.of(d).derive("spd");
        SimpleMatrix b = new SimpleMatrix(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                b.set(i, j, rng.normal(i, j));
            }
        }
        SimpleMatrix a = b.mult(b.transpose()).plus(SimpleMatrix.identity(d).scale(0.5));
        double[] arr = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                arr[i * d + j] = a.get(i, j);
            }
        }
        double[] l = Linalg.cholesky(arr, d);
        assertThat(l).isNotNull();
        SimpleMatrix inv = a.invert();
        double[] mine = Linalg.inverseFromCholesky(l, d);
        // both are backward stable: relative agreement ~ κ(A)·ε with κ(A) ≤ (λmax/0.5) ≲ 1e2 here
        double scale = inv.elementMaxAbs();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                assertThat(mine[i * d + j]).isCloseTo(inv.get(i, j), within(1e-11 * scale));
                assertThat(mine[i * d + j]).isEqualTo(mine[j * d + i], within(1e-12 * scale));
            }
        }
        assertThat(Linalg.logDetFromCholesky(l, d)).isCloseTo(Math.log(a.determinant()), within(1e-11 * d));
    }

    @Test
    void notPositiveDefiniteGivesNullAndPsdFactorKeepsZeroColumns() {
        assertThat(Linalg.cholesky(new double[] {1, 2, 2, 1}, 2)).isNull();
        assertThat(Linalg.cholesky(new double[] {0, 0, 0, 1}, 2)).isNull();
        assertThat(Linalg.choleskyPsd(new double[] {0, 0, 0, 0}, 2)).containsExactly(0, 0, 0, 0);
        // rank-one [[1, 1], [1, 1]] = v vᵀ with v = (1, 1): factor [[1, 0], [1, 0]]
        assertThat(Linalg.choleskyPsd(new double[] {1, 1, 1, 1}, 2)).containsExactly(1, 0, 1, 0);
        // a point mass in the first coordinate and variance 4 in the second: factor diag(0, 2)
        assertThat(Linalg.choleskyPsd(new double[] {0, 0, 0, 4}, 2)).containsExactly(0, 0, 0, 2);
    }

    /**
     * λ_min of the symmetric part: closed form for d ≤ 2, Jacobi rotations beyond; against EJML's symmetric
     * eigen-decomposition (both to rounding: 1e-12 of the largest |eigenvalue|), for random non-symmetric blocks.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 16})
    void minEigenOfTheSymmetricPartMatchesEjml(int d) {
        java.util.Random rng = new java.util.Random(d);
        int blocks = 4;
        double[] jac = new double[blocks * d * d];
        for (int k = 0; k < jac.length; k++) {
            jac[k] = rng.nextGaussian();
        }
        double[] got = Linalg.minEigenSym(jac, d);
        for (int b = 0; b < blocks; b++) {
            SimpleMatrix m = new SimpleMatrix(d, d);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    m.set(i, j, 0.5 * (jac[b * d * d + i * d + j] + jac[b * d * d + j * d + i]));
                }
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (int i = 0; i < d; i++) {
                double e = m.eig().getEigenvalue(i).getReal();
                min = Math.min(min, e);
                max = Math.max(max, Math.abs(e));
            }
            assertThat(got[b]).as("block %d of d=%d", b, d).isCloseTo(min, within(1e-12 * max));
        }
        assertThat(Linalg.minEigenSym(new double[] {Double.NaN, 0, 0, 1}, 2)[0]).isNaN();
    }

    @Test
    void choleskyPsdGivesZeroColumnsWhereCholeskyGivesNull() {
        double[] singular = {1, 1, 1, 1}; // rank 1: L = [[1, 0], [1, 0]]
        assertThat(Linalg.cholesky(singular, 2)).isNull();
        assertThat(Linalg.choleskyPsd(singular, 2)).containsExactly(1, 0, 1, 0);
        assertThat(Linalg.choleskyPsd(new double[] {4, 2, 2, 3}, 2)).containsExactly(Linalg.cholesky(new double[] {4, 2, 2, 3}, 2));
    }

    @Test
    void normalizeScalesAStridedVectorToUnitLength() {
        double[] a = {3, 9, 4, 9}; // the column (3, 4) with stride 2
        Linalg.normalize(a, 0, 2, 2);
        assertThat(a).containsExactly(new double[] {0.6, 9, 0.8, 9}, within(1e-15));
    }
}
