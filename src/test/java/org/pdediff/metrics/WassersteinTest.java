package org.pdediff.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.metrics.TransportResult.Method;

class WassersteinTest {
    /** Relative slack for floating-point sums of O(n) terms at n ≤ 2,000 (far above n·u ≈ 2e-13). */
    private static final double SUM_REL = 1e-12;

    @ParameterizedTest
    @EnumSource(Wasserstein.Solver.class)
    void translateOfACloudIsAtDistanceV(Wasserstein.Solver solver) {
        // W2²(μ, μ(· − v)) = |v|² for any μ: the mean part is |v|² and the centred parts coincide.
        Batch a = TestData.gaussian(300, 2, 0, 1, 1, "a");
        double[] v = {0.3, -1.2};
        double vv = v[0] * v[0] + v[1] * v[1];
        TransportResult r = Wasserstein.exact(a, TestData.translate(a, v), Wasserstein.Options.defaults().withSolver(solver));
        assertThat(r.method()).isIn(Method.AUCTION, Method.ORTOOLS_ASSIGNMENT);
        assertThat(r.errorBound()).isLessThan(1e-9 * vv);
        assertThat(Math.abs(r.value() - vv)).isLessThanOrEqualTo(r.errorBound() + SUM_REL * vv);
        assertThat(r.distance()).isCloseTo(Math.sqrt(vv), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void translateWithUnequalSizesGoesThroughMinCostFlow() {
        // b = the points of a listed twice, translated: the same measure as a + v, so W2² = |v|², W1 = |v|.
        Batch a = TestData.gaussian(40, 2, 0, 1, 2, "a");
        double[] v = {1, 2};
        Batch twice = Batch.zeros(80, 2);
        twice.setRows(0, a);
        twice.setRows(40, a);
        Batch b = TestData.translate(twice, v);
        TransportResult r = Wasserstein.exact(a, b);
        assertThat(r.method()).isEqualTo(Method.ORTOOLS_MIN_COST_FLOW);
        assertThat(Math.abs(r.value() - 5)).isLessThanOrEqualTo(r.errorBound() + SUM_REL * 5);
        TransportResult w1 = Wasserstein.exact(a, b, GroundCost.EUCLIDEAN);
        assertThat(Math.abs(w1.distance() - Math.sqrt(5))).isLessThanOrEqualTo(w1.errorBound() + SUM_REL * 5);
    }

    @Test
    void quantileFormulaEqualsTheAssignment() {
        Batch x = TestData.gaussian(150, 1, 0, 1, 3, "x");
        Batch y = TestData.gaussian(150, 1, 0.5, 2, 3, "y");
        for (GroundCost c : GroundCost.values()) {
            TransportResult q = Wasserstein.exact(x, y, c);
            assertThat(q.method()).isEqualTo(Method.QUANTILES_1D);
            TransportResult assign = Wasserstein.exact(TestData.embed2(x.data()), TestData.embed2(y.data()), c);
            assertThat(assign.method()).isEqualTo(Method.AUCTION);
            assertThat(Math.abs(q.value() - assign.value()))
                    .isLessThanOrEqualTo(q.errorBound() + assign.errorBound() + SUM_REL * q.value());
        }
    }

    @Test
    void quantileFormulaForUnequalSizesEqualsTheMinCostFlow() {
        Batch x = TestData.gaussian(30, 1, 0, 1, 4, "x");
        Batch y = TestData.gaussian(45, 1, 1, 0.5, 4, "y");
        for (GroundCost c : GroundCost.values()) {
            TransportResult q = Wasserstein.exact(x, y, c);
            TransportResult flow = Wasserstein.exact(TestData.embed2(x.data()), TestData.embed2(y.data()), c);
            assertThat(flow.method()).isEqualTo(Method.ORTOOLS_MIN_COST_FLOW);
            assertThat(Math.abs(q.value() - flow.value()))
                    .isLessThanOrEqualTo(q.errorBound() + flow.errorBound() + SUM_REL * q.value());
        }
    }

    @Test
    void solversAgreeWithAPlainHungarian() {
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + trial * 3;
            int d = 1 + trial % 4;
            Batch a = TestData.gaussian(n, d, 0, 1, 100 + trial, "a");
            Batch b = TestData.gaussian(n, d, 0.3, 1.5, 100 + trial, "b");
            for (GroundCost c : GroundCost.values()) {
                double h = Hungarian.minCost(TestData.costMatrix(a, b, c)) / n;
                Auction.Result auc = Auction.solve(a, b, c, 1e-13, org.pdediff.core.ProgressListener.NONE);
                assertThat(auc.lower() / n).isLessThanOrEqualTo(h + SUM_REL * h);
                assertThat(Math.abs(auc.primal() / n - h)).isLessThanOrEqualTo(auc.gap() / n + SUM_REL * h);
                OrTools.Outcome o = OrTools.assignment(a, b, c);
                assertThat(Math.abs(o.value() - h)).isLessThanOrEqualTo(o.roundingBound() + SUM_REL * h);
            }
        }
    }

    @Test
    void auctionCertificateIsTightOnDuplicatesAndTies() {
        // many identical points (a memorising sampler): ties everywhere; the optimum is 0 for identical sets
        Batch a = Batch.zeros(60, 2);
        for (int i = 0; i < 60; i++) {
            a.set(i, 0, i % 3);
            a.set(i, 1, (i / 3) % 2);
        }
        Batch b = a.copy();
        TransportResult r = Wasserstein.exact(a, b);
        assertThat(r.value()).isLessThanOrEqualTo(r.errorBound());
        assertThat(r.errorBound()).isLessThan(1e-10);
    }

    @Test
    void sampleW2ApproachesBuresAsNGrows() {
        // x ~ N(0, I), y ~ N(1, 0.25 I) in d = 2: Bures W2² = |1|²·2 + 2·(1 − 0.5)² = 2.5 (M15).
        double truth = Wasserstein.gaussian(new double[] {0, 0}, new double[] {1, 0, 0, 1}, new double[] {1, 1},
                new double[] {0.25, 0, 0, 0.25}).value();
        assertThat(truth).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-12));
        double errSmall = 0;
        double errLarge = 0;
        for (int seed = 0; seed < 3; seed++) {
            errSmall += Math.abs(Wasserstein.exact(TestData.gaussian(64, 2, 0, 1, seed, "x"),
                    TestData.gaussian(64, 2, 1, 0.5, seed, "y")).value() - truth);
            errLarge += Math.abs(Wasserstein.exact(TestData.gaussian(1024, 2, 0, 1, seed, "x"),
                    TestData.gaussian(1024, 2, 1, 0.5, seed, "y")).value() - truth);
        }
        // For μ ≠ ν the empirical W2² converges at rate ~n^{-1/2} (up to logs) in d = 2: 16× the points should cut
        // the error ~4×; we demand 2×, and an absolute error below 10% of W2² at n = 1,024.
        assertThat(errLarge).isLessThan(errSmall / 2);
        assertThat(errLarge / 3).isLessThan(0.1 * truth);
    }

    @Test
    void buresMatchesOneDimensionalAndCommutingClosedForms() {
        // 1-D: W2² = (m1 − m2)² + (s1 − s2)²
        TransportResult r = Wasserstein.gaussian(new double[] {1}, new double[] {4}, new double[] {-1}, new double[] {9});
        assertThat(r.value()).isCloseTo(4 + 1, org.assertj.core.data.Offset.offset(1e-12));
        // rotated commuting covariances: S1 = R diag(1, 4) Rᵀ, S2 = R diag(9, 1) Rᵀ → (1−3)² + (2−1)² = 5
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        double[] s1 = rot(c, s, 1, 4);
        double[] s2 = rot(c, s, 9, 1);
        TransportResult g = Wasserstein.gaussian(new double[] {0, 0}, s1, new double[] {0, 0}, s2);
        assertThat(g.value()).isCloseTo(5, org.assertj.core.data.Offset.offset(1e-10));
        assertThat(g.method()).isEqualTo(Method.GAUSSIAN_CLOSED_FORM);
    }

    @Test
    void sampleToGaussianIsZeroForTheSampleItsOwnMoments() {
        Batch x = TestData.gaussian(500, 3, 0.2, 1.3, 7, "x");
        double[] cov = x.covariance();
        for (int k = 0; k < cov.length; k++) {
            cov[k] *= (x.size() - 1.0) / x.size();
        }
        TransportResult r = Wasserstein.sampleToGaussian(x, x.mean(), cov);
        assertThat(r.value()).isLessThanOrEqualTo(1e-10);
    }

    private static double[] rot(double c, double s, double l1, double l2) {
        // R diag(l1, l2) Rᵀ with R = [[c, −s], [s, c]]
        return new double[] {c * c * l1 + s * s * l2, c * s * (l1 - l2), c * s * (l1 - l2), s * s * l1 + c * c * l2};
    }

    @Test
    void weightedCountsEqualTheExpandedAssignment() {
        // a: 3 points with counts 2, 1, 3 (total 6); b: 2 points with counts 1, 1 (total 2) → normalised marginals;
        // the expanded problem: a-points ×1 per count (6 points), b-points ×3 per count (6 points).
        Batch a = Batch.ofRows(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 2});
        Batch b = Batch.ofRows(new double[] {3, 1}, new double[] {-1, 1});
        long[] ma = {2, 1, 3};
        long[] mb = {1, 1};
        Batch ea = expand(a, ma, 1);
        Batch eb = expand(b, mb, 3);
        for (GroundCost c : GroundCost.values()) {
            double h = Hungarian.minCost(TestData.costMatrix(ea, eb, c)) / 6;
            TransportResult w = Wasserstein.exactWeighted(a, ma, b, mb, c);
            assertThat(Math.abs(w.value() - h)).isLessThanOrEqualTo(w.errorBound() + SUM_REL * h);
            TransportResult wd = Wasserstein.exactWeighted(a, new double[] {2, 1, 3}, b, new double[] {0.5, 0.5}, c);
            assertThat(Math.abs(wd.value() - h)).isLessThanOrEqualTo(wd.errorBound() + SUM_REL * h);
            assertThat(wd.errorBound()).isLessThan(1e-6);
        }
    }

    private static Batch expand(Batch p, long[] counts, int factor) {
        int total = 0;
        for (long c : counts) {
            total += (int) c * factor;
        }
        Batch e = Batch.zeros(total, p.dim());
        int r = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int k = 0; k < counts[i] * factor; k++) {
                e.setRows(r++, p.rows(i, i + 1));
            }
        }
        return e;
    }

    @Test
    void histogramsOfAShiftByWholeCellsAreAtThatDistance() {
        // points inside the box, shifted by exactly 3 cells in x: every cell's mass moves 3h, W2 = 3h.
        int cells = 16;
        double box = 4;
        double h = 2 * box / cells;
        Batch a = TestData.gaussian(400, 2, 0, 0.6, 9, "a");
        Batch b = TestData.translate(a, 3 * h, 0);
        GridHistogram ha = GridHistogram.of(a, cells, box);
        GridHistogram hb = GridHistogram.of(b, cells, box);
        assertThat(ha.outside()).isZero();
        assertThat(hb.outside()).isZero();
        long sum = 0;
        for (long c : ha.counts()) {
            sum += c;
        }
        assertThat(sum).isEqualTo(400);
        TransportResult r = Wasserstein.histograms(ha, hb, GroundCost.SQUARED_EUCLIDEAN);
        assertThat(Math.abs(r.value() - 9 * h * h)).isLessThanOrEqualTo(r.errorBound() + SUM_REL);
        assertThatThrownBy(() -> Wasserstein.histograms(ha, GridHistogram.of(b, 8, box), GroundCost.SQUARED_EUCLIDEAN))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void unequalSizesBeyondTheArcLimitUseTheRepeatedAuction() {
        // with maxArcs below n·m the repeated-points auction must give the min-cost-flow optimum
        Batch a = TestData.gaussian(40, 2, 0, 1, 12, "a");
        Batch b = TestData.gaussian(60, 2, 1, 0.7, 12, "b");
        TransportResult flow = Wasserstein.exact(a, b);
        TransportResult rep = Wasserstein.exact(a, b, Wasserstein.Options.defaults().withLimits(1000, 100));
        assertThat(flow.method()).isEqualTo(Method.ORTOOLS_MIN_COST_FLOW);
        assertThat(rep.method()).isEqualTo(Method.AUCTION);
        assertThat(rep.note()).contains("120");
        assertThat(Math.abs(rep.value() - flow.value()))
                .isLessThanOrEqualTo(rep.errorBound() + flow.errorBound() + SUM_REL * flow.value());
    }

    @Test
    void largeProblemsFallBackToSlicedAndSaySo() {
        Batch a = TestData.gaussian(50, 2, 0, 1, 1, "a");
        Batch b = TestData.gaussian(50, 2, 1, 1, 1, "b");
        TransportResult r = Wasserstein.exact(a, b, Wasserstein.Options.defaults().withLimits(10, 100));
        assertThat(r.method()).isEqualTo(Method.SLICED_FALLBACK);
        assertThat(r.errorBound()).isNaN();
        assertThat(r.exact()).isFalse();
        assertThat(r.note()).contains("sliced");
        assertThat(r.value()).isEqualTo(SlicedWasserstein.compute(a, b, 64, 0).w2Sq());
    }

    @Test
    void badInputIsRejected() {
        Batch a2 = TestData.gaussian(5, 2, 0, 1, 1, "a");
        Batch a3 = TestData.gaussian(5, 3, 0, 1, 1, "a");
        assertThatThrownBy(() -> Wasserstein.exact(a2, a3)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> Wasserstein.exact(Batch.zeros(0, 2), a2)).isInstanceOf(InvalidInputException.class);
        Batch nan = a2.copy();
        nan.set(2, 1, Double.NaN);
        assertThatThrownBy(() -> Wasserstein.exact(nan, a2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> Wasserstein.exactWeighted(a2, new long[] {1, 1, 1, 1, -1}, a2, new long[] {1, 1, 1, 1, 1},
                GroundCost.EUCLIDEAN)).isInstanceOf(InvalidInputException.class);
    }
}
