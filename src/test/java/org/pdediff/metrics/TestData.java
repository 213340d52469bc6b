package org.pdediff.metrics;

import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;

/** Seeded test samples. */
final class TestData {
    private TestData() {
    }

    /** n points of N(mean, std² I) in R^d from the named stream. */
    static Batch gaussian(int n, int d, double mean, double std, long seed, String purpose) {
        Batch b = Batch.zeros(n, d);
        RandomStream.of(seed).derive(purpose).fillNormal(b, 0, 0);
        double[] v = b.data();
        for (int k = 0; k < v.length; k++) {
            v[k] = mean + std * v[k];
        }
        return b;
    }

    /** a + v (every row translated by v). */
    static Batch translate(Batch a, double... v) {
        Batch t = a.copy();
        for (int i = 0; i < a.size(); i++) {
            for (int k = 0; k < a.dim(); k++) {
                t.set(i, k, a.get(i, k) + v[k]);
            }
        }
        return t;
    }

    /** The n × m cost matrix c(a_i, b_j). */
    static double[][] costMatrix(Batch a, Batch b, GroundCost c) {
        double[][] m = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                m[i][j] = c.cost(a, i, b, j);
            }
        }
        return m;
    }

    /** Embeds 1-D values as points (x, 0) in R². */
    static Batch embed2(double[] x) {
        Batch b = Batch.zeros(x.length, 2);
        for (int i = 0; i < x.length; i++) {
            b.set(i, 0, x[i]);
        }
        return b;
    }
}
