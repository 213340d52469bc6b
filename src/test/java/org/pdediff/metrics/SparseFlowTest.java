package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pdediff.core.Batch;

/**
 * The sparse, duality-certified min-cost flow ({@link SparseFlow}) against OR-Tools on the complete bipartite graph:
 * the same integer optimum Σ c̃ f on every input (the plans may differ among ties, so the floating-point values agree
 * within the rounding bound).
 */
class SparseFlowTest {
    /** Point sets and integer masses of one test problem. */
    private record Problem(Batch a, long[] ma, Batch b, long[] mb) {
    }

    /** Supplies with equal totals, as Wasserstein.exactWeighted makes them. */
    private static long[][] supplies(long[] ma, long[] mb) {
        return Wasserstein.commonTotalSupplies(ma, java.util.Arrays.stream(ma).sum(), mb, java.util.Arrays.stream(mb).sum());
    }

    /** Dense and sparse on the same problem: same integer optimum, values within the rounding bound. */
    private static OrTools.Outcome assertSameOptimum(Problem pr, GroundCost cost) {
        long[][] s = supplies(pr.ma(), pr.mb());
        OrTools.Outcome dense = OrTools.minCostFlow(pr.a(), s[0], pr.b(), s[1], cost, OrTools.Arcs.DENSE);
        OrTools.Outcome sparse = OrTools.minCostFlow(pr.a(), s[0], pr.b(), s[1], cost, OrTools.Arcs.SPARSE);
        assertThat(dense.log()).isEmpty();
        assertThat(sparse.log()).contains("dual certificate holds over all pairs");
        assertThat(sparse.integerCost()).isEqualTo(dense.integerCost());
        assertThat(sparse.roundingBound()).isEqualTo(dense.roundingBound());
        double sum = Wasserstein.sumAllowance(pr.a().size() + pr.b().size(), dense.value());
        assertThat(Math.abs(sparse.value() - dense.value())).isLessThanOrEqualTo(dense.roundingBound() + 2 * sum);
        return sparse;
    }

    private static Batch uniform(Random r, int n, int d, double lo, double hi) {
        Batch x = Batch.zeros(n, d);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x.set(i, k, lo + (hi - lo) * r.nextDouble());
            }
        }
        return x;
    }

    private static long[] masses(Random r, int n, int max) {
        long[] m = new long[n];
        for (int i = 0; i < n; i++) {
            m[i] = 1 + r.nextInt(max);
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({
        // n, m, d, max mass, seed
        "300, 300, 2, 1, 1",
        "300, 300, 2, 7, 2",
        "150, 420, 2, 5, 3",
        "420, 150, 2, 3, 4",
        "250, 260, 3, 9, 5",
        "200, 200, 1, 4, 6",
        "1, 500, 2, 3, 7",
        "500, 1, 2, 3, 8",
        "2, 300, 2, 5, 9"})
    void randomCloudsGiveTheDenseOptimum(int n, int m, int d, int maxMass, long seed) {
        Random r = new Random(seed);
        Problem pr = new Problem(uniform(r, n, d, -1, 1), masses(r, n, maxMass),
                uniform(r, m, d, -1.5, 0.8), masses(r, m, maxMass));
        for (GroundCost c : GroundCost.values()) {
            assertSameOptimum(pr, c);
        }
    }

    @Test
    void tiesAndDuplicatedPositionsOnAnIntegerLattice() {
        // lattice points: many equal distances; every position listed 1–3 times in each set
        Random r = new Random(11);
        int n = 360;
        int m = 300;
        Batch a = Batch.zeros(n, 2);
        Batch b = Batch.zeros(m, 2);
        for (int i = 0; i < n; i++) {
            a.set(i, 0, r.nextInt(8));
            a.set(i, 1, r.nextInt(8));
        }
        for (int j = 0; j < m; j++) {
            b.set(j, 0, r.nextInt(8) + 1);
            b.set(j, 1, r.nextInt(6));
        }
        for (GroundCost c : GroundCost.values()) {
            assertSameOptimum(new Problem(a, masses(r, n, 4), b, masses(r, m, 4)), c);
            // equal masses and identical sets: optimum 0
            long[] ones = new long[n];
            java.util.Arrays.fill(ones, 1);
            OrTools.Outcome same = assertSameOptimum(new Problem(a, ones, a.copy(), ones), c);
            assertThat(same.integerCost()).isZero();
        }
    }

    @Test
    void zeroMassPointsAreSkippedAsInTheDenseSolve() {
        Random r = new Random(12);
        long[] ma = masses(r, 320, 3);
        long[] mb = masses(r, 310, 3);
        for (int i = 0; i < ma.length; i += 3) {
            ma[i] = 0;
        }
        for (int j = 1; j < mb.length; j += 4) {
            mb[j] = 0;
        }
        assertSameOptimum(new Problem(uniform(r, 320, 2, 0, 1), ma, uniform(r, 310, 2, 0.2, 1.4), mb),
                GroundCost.SQUARED_EUCLIDEAN);
    }

    @Test
    void clusteredSourcesAndSpreadTargetsNeedCertificateRounds() {
        // sources in a tight blob, targets spread over a wide ring: the nearest targets of every source are the same
        // few ring points, so the nearest-neighbour arcs cannot carry the optimal plan and arcs must be generated
        Random r = new Random(13);
        int n = 400;
        int m = 350;
        Batch a = Batch.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            a.set(i, 0, 3 + 0.05 * r.nextGaussian());
            a.set(i, 1, 0.05 * r.nextGaussian());
        }
        Batch b = Batch.zeros(m, 2);
        for (int j = 0; j < m; j++) {
            double th = 2 * Math.PI * r.nextDouble();
            double rad = 1 + r.nextDouble();
            b.set(j, 0, rad * Math.cos(th));
            b.set(j, 1, rad * Math.sin(th));
        }
        Problem pr = new Problem(a, masses(r, n, 5), b, masses(r, m, 5));
        OrTools.Outcome o = assertSameOptimum(pr, GroundCost.SQUARED_EUCLIDEAN);
        assertThat(o.log()).contains("round 1");
        // with only the nearest target per point and 4 arcs added per source per round the first arc set is far
        // from enough: the certificate must fail first, add arcs, and then hold
        long[][] s = supplies(pr.ma(), pr.mb());
        int[] ia = identity(n);
        int[] ib = identity(m);
        double maxC = GroundCost.SQUARED_EUCLIDEAN.upperBound(a, b);
        long total = 0;
        for (long v : s[0]) {
            total += v;
        }
        double scale = 0x1p60 / Math.max(n + m + 1.0, (double) total) / maxC;
        SparseFlow.Result res = SparseFlow.solve(a, ia, s[0], b, ib, s[1], GroundCost.SQUARED_EUCLIDEAN, scale, total,
                1, 4, 100);
        assertThat(res.certified()).isTrue();
        assertThat(res.log()).contains("violated pairs").contains("round 2");
        assertThat(res.optimum()).isEqualTo(o.integerCost());
    }

    @Test
    void withTooFewRoundsItSaysNotCertified() {
        Random r = new Random(14);
        int n = 300;
        Batch a = uniform(r, n, 2, 0, 1);
        Batch b = uniform(r, n, 2, 3, 5);
        long[] s = masses(r, n, 1);
        double maxC = GroundCost.SQUARED_EUCLIDEAN.upperBound(a, b);
        double scale = 0x1p60 / (2 * n + 1.0) / maxC;
        SparseFlow.Result res = SparseFlow.solve(a, identity(n), s, b, identity(n), s.clone(),
                GroundCost.SQUARED_EUCLIDEAN, scale, n, 1, 1, 1);
        assertThat(res.certified()).isFalse();
        assertThat(res.log()).contains("not certified after 1 rounds");
    }

    @Test
    void histogramsGoSparseAboveTheThresholdAndSayHowTheyWereSolved() {
        // two 64×64 histograms with > 50k pairs of non-empty cells: Wasserstein.histograms goes sparse (AUTO) and
        // records the solver's log in the note; the integer optimum is the dense one
        Batch x = TestData.gaussian(400, 2, 0, 1, 21, "x");
        Batch y = TestData.gaussian(400, 2, 0.4, 0.8, 21, "y");
        GridHistogram hx = GridHistogram.of(x, 64, 3.5);
        GridHistogram hy = GridHistogram.of(y, 64, 3.5);
        assertThat((long) hx.counts().length * hy.counts().length).isGreaterThan(OrTools.SPARSE_MIN_PAIRS);
        TransportResult t = Wasserstein.histograms(hx, hy, GroundCost.SQUARED_EUCLIDEAN);
        assertThat(t.method()).isEqualTo(TransportResult.Method.ORTOOLS_MIN_COST_FLOW);
        assertThat(t.note()).contains("sparse min-cost flow").contains("dual certificate holds over all pairs");
        OrTools.Outcome o = assertSameOptimum(new Problem(hx.centres(), hx.counts(), hy.centres(), hy.counts()),
                GroundCost.SQUARED_EUCLIDEAN);
        assertThat(t.value()).isEqualTo(o.value());
    }

    @Test
    void kNearestMatchesBruteForce() {
        Random r = new Random(15);
        Batch pts = uniform(r, 500, 2, 0, 1);
        // duplicates and lattice ties
        for (int i = 0; i < 100; i++) {
            pts.set(i, 0, Math.floor(pts.get(i, 0) * 4) / 4);
            pts.set(i, 1, Math.floor(pts.get(i, 1) * 4) / 4);
        }
        Batch q = uniform(r, 50, 2, -0.2, 1.2);
        KdTree tree = new KdTree(pts);
        for (int k : new int[] {1, 4, 16, 600}) {
            int[] idx = new int[k];
            double[] dist = new double[k];
            for (int i = 0; i < q.size(); i++) {
                int got = tree.kNearest(q.data(), i, k, idx, dist);
                assertThat(got).isEqualTo(Math.min(k, pts.size()));
                double[] all = new double[pts.size()];
                for (int p = 0; p < pts.size(); p++) {
                    double dx = q.get(i, 0) - pts.get(p, 0);
                    double dy = q.get(i, 1) - pts.get(p, 1);
                    all[p] = dx * dx + dy * dy;
                }
                double[] sorted = all.clone();
                java.util.Arrays.sort(sorted);
                for (int t = 0; t < got; t++) {
                    assertThat(dist[t]).isEqualTo(sorted[t]);
                    assertThat(all[idx[t]]).isEqualTo(dist[t]);
                }
            }
        }
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
