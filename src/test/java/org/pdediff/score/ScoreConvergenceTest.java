package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;

/**
 * The exact score of a sample of N points from a law (M10) converges to the score of the law (M11) as N grows: at a
 * fixed t > 0 the finite-sample p_t is a ratio of sample means of smooth kernels, so its score error is O_P(1/√N).
 * Checked loosely: a 16× larger sample must cut the RMS error by more than 2 (the expectation is 4).
 */
class ScoreConvergenceTest {
    private static double rmsError(int n, long seed, Sde sde, double t, Batch queries) {
        DataSet ds = DataSets.parse("gaussian:d=2,mean=0.5,std=1,n=" + n + ",seed=" + seed);
        ScoreModel exact = Scores.create("exact", ds, sde);
        ScoreModel law = Scores.create("gmm", ds, sde);
        Batch a = exact.score(queries, t);
        Batch b = law.score(queries, t);
        double s = 0;
        double ref = 0;
        for (int k = 0; k < a.data().length; k++) {
            s += (a.data()[k] - b.data()[k]) * (a.data()[k] - b.data()[k]);
            ref += b.data()[k] * b.data()[k];
        }
        return Math.sqrt(s / ref);
    }

    @Test
    void finiteSampleScoreApproachesTheLawScoreLikeOneOverRootN() {
        Sde sde = new VpSde();
        double t = 0.5;
        // queries drawn from p_t itself: x = α x₀ + σ z with x₀ ~ N(0.5·1, I)
        int m = 400;
        Batch q = Batch.zeros(m, 2);
        RandomStream.of(77).derive("q").fillNormal(q, 0, 0);
        double a = sde.alpha(t);
        double v = Math.sqrt(a * a + sde.sigma2(t));
        for (int k = 0; k < q.data().length; k++) {
            q.data()[k] = a * 0.5 + v * q.data()[k];
        }
        double small = 0;
        double large = 0;
        for (long seed = 1; seed <= 3; seed++) {
            small += rmsError(500, seed, sde, t, q);
            large += rmsError(8000, seed, sde, t, q);
        }
        small /= 3;
        large /= 3;
        assertThat(large).isLessThan(small / 2);
        // and both are small in absolute terms: relative error ~ c/√N with c of order 1
        assertThat(small).isLessThan(3 / Math.sqrt(500));
        assertThat(large).isLessThan(3 / Math.sqrt(8000));
    }
}
