package org.pdediff.train;

import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/** Comparisons of a score with a reference score on points drawn from the forward marginals p_t. */
public final class ScoreErrors {
    private ScoreErrors() {
    }

    /**
     * {@code n} points of p_t: x = α(t)x₀ + σ(t)ε (M1) with x₀ the data point of index ⌊u·N⌋ and ε standard normal;
     * point i uses particle stream i of {@code rng}, so the draw does not depend on n beyond its length.
     */
    public static Batch perturbed(Batch data, Sde sde, double t, int n, RandomStream rng) {
        int d = data.dim();
        double a = sde.alpha(t);
        double s = sde.sigma(t);
        Batch out = Batch.zeros(n, d);
        double[] o = out.data();
        double[] x0 = data.data();
        for (int i = 0; i < n; i++) {
            long p = rng.particle(i);
            int idx = (int) Math.min(data.size() - 1, (long) Math.floor(RandomStream.uniformAt(p, 0) * data.size()));
            for (int j = 0; j < d; j++) {
                o[i * d + j] = a * x0[idx * d + j] + s * RandomStream.normalAt(p, 1 + j);
            }
        }
        return out;
    }

    /** Relative L² error √(Σ|s − s_ref|² / Σ|s_ref|²) of {@code s} against {@code ref} on the points x at time t. */
    public static double relativeL2(ScoreModel s, ScoreModel ref, Batch x, double t) {
        double[] a = s.score(x, t).data();
        double[] b = ref.score(x, t).data();
        double num = 0;
        double den = 0;
        for (int k = 0; k < a.length; k++) {
            double e = a[k] - b[k];
            num += e * e;
            den += b[k] * b[k];
        }
        return Math.sqrt(num / den);
    }

    /**
     * The relative L² error of {@code s} against {@code ref} at each time, on {@code n} points of p_t drawn from the
     * data (stream {@code rng.derive(k)} for the k-th time).
     */
    public static double[] relativeL2(ScoreModel s, ScoreModel ref, Batch data, double[] times, int n, RandomStream rng) {
        double[] out = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            Batch x = perturbed(data, s.sde(), times[k], n, rng.derive(k));
            out[k] = relativeL2(s, ref, x, times[k]);
        }
        return out;
    }
}
