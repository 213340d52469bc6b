package org.pdediff.sample;

import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/** The mutable state of one sampler run (created per call; never shared between threads). */
final class Run {
    final ScoreModel score;
    final Sde sde;
    final TimeGrid grid;
    final Batch x;
    final Batch s;
    final long firstParticle;
    final int n;
    final int d;
    long nfe;

    Run(ScoreModel score, Batch start, long firstParticle, TimeGrid grid) {
        this.score = score;
        this.sde = score.sde();
        this.grid = grid;
        this.x = start.copy();
        this.s = Batch.zeros(start.size(), start.dim());
        this.firstParticle = firstParticle;
        this.n = start.size();
        this.d = start.dim();
    }

    /** out ← s(at, t); counts one function evaluation. */
    void evalScore(Batch at, double t, Batch out) {
        score.score(at, t, out);
        nfe++;
    }

    /** Adds c·z to x where z are the standard normals of (stream, particle, counter base + j). */
    void addNoise(RandomStream stream, long counterBase, double c) {
        double[] a = x.data();
        for (int i = 0; i < n; i++) {
            long p = stream.particle(firstParticle + i);
            for (int j = 0; j < d; j++) {
                a[i * d + j] += c * RandomStream.normalAt(p, counterBase + j);
            }
        }
    }

    /** Tweedie's final step x ← (x + σ²(ε)s(x, ε))/α(ε) at the grid's last time (one evaluation). */
    void finalDenoise() {
        double t = grid.end();
        evalScore(x, t, s);
        Tweedie.denoiseInPlace(x.data(), s.data(), sde.alpha(t), sde.sigma2(t));
    }
}
