package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sde.VpSde;

/**
 * The native kernel with certified pruning ({@link TorchExactKernel}) against the difference-based Java kernel, on
 * N = 9,000 points (two GEMM blocks), d = 24: sparse rows (small σ, where GEMM logits alone would be too inaccurate),
 * dense rows (large σ) and rows in between; and bit-identical samples for any batch size.
 */
@Tag("slow")
class NativeExactKernelTest {
    private static final int N = 9000;
    private static final int D = 24;

    private static Batch data() {
        Batch y = Batch.zeros(N, D);
        RandomStream.of(11).derive("kernel-data").fillNormal(y, 0, 0);
        return y;
    }

    @Test
    void agreesWithTheJavaKernelFromTinyToLargeSigmaAndPrunes() {
        Batch y = data();
        VpSde sde = new VpSde();
        FiniteDataScore nat = new FiniteDataScore(sde, y, FiniteDataScore.Backend.TORCH);
        FiniteDataScore java = new FiniteDataScore(sde, y, FiniteDataScore.Backend.JAVA);
        int q = 70;
        RandomStream rng = RandomStream.of(5).derive("queries");
        // t = 1e-4: σ² ≈ 1e-5, where the GEMM logit error ~1e-16·(|x|+α|y|)²/(2σ²) ~ 1e-9 would be visible; the
        // sparse rows recompute the distances from differences, so agreement is to rounding (1e-12 relative here)
        for (double t : new double[] {1e-4, 1e-3, 0.05, 0.3, 1.0}) {
            double a = sde.alpha(t);
            double s = sde.sigma(t);
            Batch x = Batch.zeros(q, D);
            for (int i = 0; i < q; i++) {
                int j = (i * 127) % N;
                for (int k = 0; k < D; k++) {
                    // half the queries near a data point, half between two
                    double base = i % 2 == 0 ? y.get(j, k) : 0.5 * (y.get(j, k) + y.get((j + 1) % N, k));
                    x.set(i, k, a * base + s * rng.normal(i, k));
                }
            }
            long[] before = nat.nativeRowCounts();
            double[] got = nat.score(x, t).data();
            long[] after = nat.nativeRowCounts();
            double[] want = java.score(x, t).data();
            double scale = 0;
            for (double v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            // dense rows: logit error ≤ 1e-9 by the kernel's own check → score error ≲ 1e-9·scale; sparse rows: the
            // dropped weights (< 1e-16 each, N of them) and the Java kernel's e^-64 clamp differ by ≤ N·1e-16 relative
            for (int k = 0; k < got.length; k++) {
                assertThat(Math.abs(got[k] - want[k])).as("t=%s entry %d", t, k).isLessThanOrEqualTo(1e-8 * scale);
            }
            long sparse = after[0] - before[0];
            long kept = after[3] - before[3];
            if (t <= 1e-3) {
                // points 24-dim normal apart: every weight but the nearest few is far below 1e-16
                assertThat(sparse).as("t=%s", t).isEqualTo(q);
                assertThat(kept).as("t=%s", t).isLessThan(4L * q);
            }
            if (t == 1.0) {
                assertThat(after[1] - before[1]).as("dense rows at t=1").isGreaterThan(0);
            }
        }
    }

    @Test
    void samplesAreBitIdenticalForEveryBatchSize() {
        FiniteDataScore nat = new FiniteDataScore(new VpSde(), data(), FiniteDataScore.Backend.TORCH);
        SamplingOptions opts = SamplingOptions.builder().kind(SamplerKind.EM).steps(6).eps(1e-3).seed(3).build();
        int n = 70;
        double[] one = Samplers.fromPrior(nat, n, opts, 1).samples().data();
        double[] seven = Samplers.fromPrior(nat, n, opts, 7).samples().data();
        double[] all = Samplers.fromPrior(nat, n, opts, 1000).samples().data();
        assertThat(seven).containsExactly(one);
        assertThat(all).containsExactly(one);
    }

    /**
     * The projection bound (a rank-8 PCA of 24-dim data whose coordinates have scales 0.85^k) selects other candidates
     * than the full GEMM, but the final set is decided on exact distances, so the scores are bit-identical; and the
     * bound path is really taken at small σ.
     */
    @Test
    void projectionBoundGivesTheSameBitsAsTheFullGemm() {
        Batch y = data();
        for (int j = 0; j < N; j++) {
            for (int k = 0; k < D; k++) {
                y.set(j, k, y.get(j, k) * Math.pow(0.85, k) + 0.3);
            }
        }
        TorchExactKernel full = new TorchExactKernel(y.data(), N, D, 0);
        TorchExactKernel bound = new TorchExactKernel(y.data(), N, D, 8);
        VpSde sde = new VpSde();
        RandomStream rng = RandomStream.of(8).derive("queries");
        int q = 100;
        for (double t : new double[] {1e-4, 1e-3, 0.01, 0.03}) {
            double a = sde.alpha(t);
            double s2 = sde.sigma2(t);
            double[] x = new double[q * D];
            for (int i = 0; i < q; i++) {
                int j = (i * 89) % N;
                for (int k = 0; k < D; k++) {
                    x[i * D + k] = a * y.get(j, k) + Math.sqrt(s2) * rng.normal(i, k);
                }
            }
            double[] m1 = new double[q * D];
            double[] m2 = new double[q * D];
            for (int first = 0; first < q; first += TorchExactKernel.CHUNK) {
                int count = Math.min(TorchExactKernel.CHUNK, q - first);
                full.weightedMean(x, first, count, a, s2, m1);
                bound.weightedMean(x, first, count, a, s2, m2);
            }
            assertThat(full.stats.denseRows.sum()).as("t=%s: every row sparse", t).isZero();
            assertThat(m2).as("t=%s", t).containsExactly(m1);
        }
        assertThat(bound.stats.boundChunks.sum()).isPositive();
        full.close();
        bound.close();
    }
}
