package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.sde.Sde;

/**
 * RMS norms of the two Fokker–Planck residuals of a score with a potential (MATH.md M4, M5) over uniform (t, x) in
 * [ε, T] × [−L, L]^d: time stratified into at most 50 slices, the same points for both residuals, computed by
 * {@link ScoreDiagnostics}.
 *
 * @param logDensityRms RMS of the log-density residual (M4) of the potential
 * @param scoreRms      RMS norm of the score-FP residual (M5) of the score
 */
public record ResidualNorms(double logDensityRms, double scoreRms) {
    /**
     * The norms over {@code points} points (rounded down to a multiple of the slices) drawn from {@code rng}.
     *
     * @param s   the score
     * @param phi its potential (log-density up to a time-dependent constant)
     * @param box the half-width L of the box
     */
    public static ResidualNorms of(ScoreModel s, ScoreDiagnostics.Potential phi, Sde sde, double eps, double box, int points,
                                   RandomStream rng) {
        int slices = Math.max(1, Math.min(50, points / 20));
        int per = Math.max(1, points / slices);
        int d = s.dim();
        double sum4 = 0;
        double sum5 = 0;
        long count = 0;
        for (int k = 0; k < slices; k++) {
            long pk = rng.particle(k);
            // stratified uniform time in [ε, T]
            double t = eps + (sde.T() - eps) * (k + RandomStream.uniformAt(pk, 0)) / slices;
            Batch x = Batch.zeros(per, d);
            for (int i = 0; i < per; i++) {
                for (int j = 0; j < d; j++) {
                    x.set(i, j, box * (2 * RandomStream.uniformAt(pk, 1 + (long) i * d + j) - 1));
                }
            }
            for (double r : ScoreDiagnostics.logDensityResidual(phi, sde, x, t)) {
                sum4 += r * r;
            }
            for (double r : ScoreDiagnostics.residual(s, x, t).data()) {
                sum5 += r * r;
            }
            count += per;
        }
        return new ResidualNorms(Math.sqrt(sum4 / count), Math.sqrt(sum5 / count));
    }
}
