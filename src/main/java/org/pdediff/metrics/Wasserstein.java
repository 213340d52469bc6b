package org.pdediff.metrics;

import java.math.BigInteger;
import java.util.Arrays;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.metrics.TransportResult.Method;

/**
 * Exact Wasserstein distances W1 and W2 between empirical measures (MATH.md §8), the Gaussian closed form (M15), and
 * a documented fallback for problems too large to solve exactly.
 *
 * <p>Routing of {@link #exact(Batch, Batch, Options)}:
 * <ul>
 * <li>d = 1, any sizes: sort both and pair quantiles (exact: W_p^p = ∫₀¹ |F⁻¹(u) − G⁻¹(u)|^p du).</li>
 * <li>equal sizes n ≤ {@code maxAssignment}: an assignment problem, by the certified auction (default) or OR-Tools
 *     {@code LinearSumAssignment}; memory O(n·d) for the auction.</li>
 * <li>unequal sizes with n·m ≤ {@code maxArcs}: a transport problem with integer supplies m/g on each a-point and
 *     n/g on each b-point (g = gcd(n, m)) — marginals equal exactly, never "infeasible" — by OR-Tools
 *     {@code MinCostFlow}; beyond that, if lcm(n, m) ≤ {@code maxAssignment}, the auction on both sets with every
 *     point repeated lcm/n (resp. lcm/m) times, the same measures.</li>
 * <li>otherwise: sliced W2 with the options' directions and seed, method {@link Method#SLICED_FALLBACK} and error
 *     bound NaN (sliced W2 ≤ W2: a different, smaller quantity, said so in the note).</li>
 * </ul>
 */
public final class Wasserstein {
    private Wasserstein() {
    }

    /** Which exact solver to use for equal sizes. */
    public enum Solver {
        /** The own ε-scaling auction with a duality certificate (fast, O(n·d) memory). */
        AUCTION,
        /** OR-Tools LinearSumAssignment (n² arcs in memory). */
        ORTOOLS
    }

    /**
     * Knobs of the exact solvers.
     *
     * @param cost          ground cost (W1 or W2)
     * @param solver        solver for equal sizes
     * @param relGap        the auction stops once its certified gap ≤ relGap × cost
     * @param maxAssignment largest n solved exactly as an assignment
     * @param maxArcs       largest n·m solved exactly as a min-cost flow
     * @param directions    directions of the sliced fallback
     * @param seed          seed of the sliced fallback's directions
     * @param progress      progress of the auction phases
     */
    public record Options(GroundCost cost, Solver solver, double relGap, int maxAssignment, long maxArcs,
                          int directions, long seed, ProgressListener progress) {
        /** W2, auction, relGap 1e-12, exact up to n = 20,000 (assignment) and 4·10⁶ arcs (flow); fallback 64 directions. */
        public static Options defaults() {
            return new Options(GroundCost.SQUARED_EUCLIDEAN, Solver.AUCTION, 1e-12, 20_000, 4_000_000L, 64, 0,
                    ProgressListener.NONE);
        }

        public Options withCost(GroundCost c) {
            return new Options(c, solver, relGap, maxAssignment, maxArcs, directions, seed, progress);
        }

        public Options withSolver(Solver s) {
            return new Options(cost, s, relGap, maxAssignment, maxArcs, directions, seed, progress);
        }

        public Options withLimits(int maxAssignmentN, long maxFlowArcs) {
            return new Options(cost, solver, relGap, maxAssignmentN, maxFlowArcs, directions, seed, progress);
        }

        public Options withFallback(int fallbackDirections, long fallbackSeed) {
            return new Options(cost, solver, relGap, maxAssignment, maxArcs, fallbackDirections, fallbackSeed, progress);
        }

        public Options withProgress(ProgressListener p) {
            return new Options(cost, solver, relGap, maxAssignment, maxArcs, directions, seed, p);
        }
    }

    /** Exact W2 between the uniform empirical measures of two point sets. */
    public static TransportResult exact(Batch a, Batch b) {
        return exact(a, b, Options.defaults());
    }

    /** Exact W_p (p from the cost) between the uniform empirical measures of two point sets. */
    public static TransportResult exact(Batch a, Batch b, GroundCost cost) {
        return exact(a, b, Options.defaults().withCost(cost));
    }

    /** Exact W_p between uniform empirical measures, routed as described in the class comment. */
    public static TransportResult exact(Batch a, Batch b, Options o) {
        check(a, b);
        int n = a.size();
        int m = b.size();
        GroundCost c = o.cost();
        if (a.dim() == 1) {
            return quantiles1d(a.data(), b.data(), c);
        }
        if (n == m && n <= o.maxAssignment()) {
            if (o.solver() == Solver.ORTOOLS) {
                OrTools.Outcome r = OrTools.assignment(a, b, c);
                return TransportResult.of(c, r.value(), r.roundingBound() + sumAllowance(n, r.value()),
                        Method.ORTOOLS_ASSIGNMENT, n, m, "");
            }
            Auction.Result r = Auction.solve(a, b, c, o.relGap(), o.progress());
            return TransportResult.of(c, r.primal() / n, r.gap() / n, Method.AUCTION, n, m,
                    r.phases() + " eps-scaling phases, " + r.bids() + " bids");
        }
        if (n != m && (long) n * m <= o.maxArcs()) {
            long[] ones = new long[Math.max(n, m)];
            Arrays.fill(ones, 1);
            long[][] s = commonTotalSupplies(Arrays.copyOf(ones, n), n, Arrays.copyOf(ones, m), m);
            OrTools.Outcome r = OrTools.minCostFlow(a, s[0], b, s[1], c);
            return TransportResult.of(c, r.value(), r.roundingBound() + sumAllowance(n + m, r.value()),
                    Method.ORTOOLS_MIN_COST_FLOW, n, m, r.log());
        }
        long lcm = (long) n / BigInteger.valueOf(n).gcd(BigInteger.valueOf(m)).longValue() * m;
        if (n != m && lcm <= o.maxAssignment()) {
            // uniform measures on n and m points = uniform measures on lcm points with each point repeated
            Batch ea = repeat(a, (int) (lcm / n));
            Batch eb = repeat(b, (int) (lcm / m));
            Auction.Result r = Auction.solve(ea, eb, c, o.relGap(), o.progress());
            return TransportResult.of(c, r.primal() / lcm, r.gap() / lcm, Method.AUCTION, n, m,
                    "sizes " + n + " and " + m + " expanded to " + lcm + " repeated points each");
        }
        SlicedWasserstein.Result s = SlicedWasserstein.compute(a, b, o.directions(), o.seed());
        String why = "exact problem too large (n=" + n + ", m=" + m + "); sliced W2 with " + o.directions()
                + " directions (seed " + o.seed() + ") instead: a lower bound on W2, not W2";
        double v = c == GroundCost.SQUARED_EUCLIDEAN ? s.w2Sq() : Double.NaN;
        return new TransportResult(c, c == GroundCost.SQUARED_EUCLIDEAN ? s.w2() : Double.NaN, v, Double.NaN,
                Method.SLICED_FALLBACK, n, m, why);
    }

    /**
     * Exact W_p between weighted measures Σ ma_i δ_{a_i} / Σma and Σ mb_j δ_{b_j} / Σmb with integer masses (e.g.
     * histogram counts). Totals need not be equal: supplies are ma·(Mb/g) and mb·(Ma/g), g = gcd(Ma, Mb), which
     * matches the normalised marginals exactly. OR-Tools MinCostFlow over the points of positive mass.
     */
    public static TransportResult exactWeighted(Batch a, long[] ma, Batch b, long[] mb, GroundCost cost) {
        checkDims(a, b);
        long ta = total(ma, a.size(), "first");
        long tb = total(mb, b.size(), "second");
        long g = BigInteger.valueOf(ta).gcd(BigInteger.valueOf(tb)).longValue();
        // keep the common total T = ta·tb/g below 2^40 so that the cost scale stays fine (see OrTools)
        if (BigInteger.valueOf(ta).multiply(BigInteger.valueOf(tb / g)).bitLength() > 40) {
            return exactWeighted(a, toDouble(ma), b, toDouble(mb), cost);
        }
        long[][] s = commonTotalSupplies(ma, ta, mb, tb);
        OrTools.Outcome r = OrTools.minCostFlow(a, s[0], b, s[1], cost);
        return TransportResult.of(cost, r.value(), r.roundingBound() + sumAllowance(a.size() + b.size(), r.value()),
                Method.ORTOOLS_MIN_COST_FLOW, a.size(), b.size(), r.log());
    }

    /**
     * Exact W_p between weighted measures with non-negative real weights (each normalised to total 1). The weights
     * are quantised to integers of total T = 2^32 by largest remainders, so both marginals sum to T exactly; moving
     * from a weight vector w to its quantisation w̃ changes W_p^p by at most maxCost × TV(w, w̃) (re-route the
     * displaced mass), and that amount for both sides is added to the error bound.
     */
    public static TransportResult exactWeighted(Batch a, double[] wa, Batch b, double[] wb, GroundCost cost) {
        checkDims(a, b);
        long total = 1L << 32;
        double[] tvA = new double[1];
        double[] tvB = new double[1];
        long[] sa = quantise(wa, a.size(), total, tvA, "first");
        long[] sb = quantise(wb, b.size(), total, tvB, "second");
        OrTools.Outcome r = OrTools.minCostFlow(a, sa, b, sb, cost);
        double maxC = cost.upperBound(a, b);
        double bound = r.roundingBound() + maxC * (tvA[0] + tvB[0]) + sumAllowance(a.size() + b.size(), r.value());
        return TransportResult.of(cost, r.value(), bound, Method.ORTOOLS_MIN_COST_FLOW, a.size(), b.size(),
                r.log().isEmpty() ? "weights quantised to 2^32" : "weights quantised to 2^32; " + r.log());
    }

    /** Exact W_p between two histograms on the same grid (cell centres weighted by counts). */
    public static TransportResult histograms(GridHistogram ha, GridHistogram hb, GroundCost cost) {
        if (!ha.sameGrid(hb)) {
            throw new InvalidInputException("histograms are on different grids: " + ha.describe() + " vs " + hb.describe());
        }
        return exactWeighted(ha.centres(), ha.counts(), hb.centres(), hb.counts(), cost);
    }

    /** W_p in one dimension by pairing quantiles of the two sorted samples (any sizes; exact). */
    public static TransportResult quantiles1d(double[] x, double[] y, GroundCost cost) {
        if (x.length == 0 || y.length == 0) {
            throw new InvalidInputException("empty sample (n = 0)");
        }
        double[] xs = x.clone();
        double[] ys = y.clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        double v = sortedCost(xs, ys, cost.p());
        return TransportResult.of(cost, v, sumAllowance(x.length + y.length, v), Method.QUANTILES_1D, x.length,
                y.length, "");
    }

    /**
     * ∫₀¹ |F⁻¹(u) − G⁻¹(u)|^p du for sorted samples: the quantile functions are step functions with breakpoints i/n and
     * j/m; merge them.
     */
    static double sortedCost(double[] xs, double[] ys, int p) {
        int n = xs.length;
        int m = ys.length;
        if (n == m) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double dd = Math.abs(xs[i] - ys[i]);
                s += p == 2 ? dd * dd : dd;
            }
            return s / n;
        }
        // merge breakpoints: work in units of 1/(n·m) to stay exact: x_i covers [i·m, (i+1)·m), y_j [j·n, (j+1)·n)
        double s = 0;
        int i = 0;
        int j = 0;
        long pos = 0;
        long nm = (long) n * m;
        while (pos < nm) {
            long endX = (long) (i + 1) * m;
            long endY = (long) (j + 1) * n;
            long end = Math.min(endX, endY);
            double dd = Math.abs(xs[i] - ys[j]);
            s += (p == 2 ? dd * dd : dd) * (end - pos);
            pos = end;
            if (endX == end) {
                i++;
            }
            if (endY == end) {
                j++;
            }
        }
        return s / nm;
    }

    /**
     * Bures–Wasserstein: W2² between N(m1, S1) and N(m2, S2) in closed form (M15),
     * |m₁ − m₂|² + tr(S₁ + S₂ − 2 (S₂^{½} S₁ S₂^{½})^{½}).
     */
    public static TransportResult gaussian(double[] m1, double[] s1, double[] m2, double[] s2) {
        int d = m1.length;
        if (m2.length != d || s1.length != d * d || s2.length != d * d) {
            throw new InvalidInputException("Gaussian parameters of different dimensions");
        }
        double v = Bures.w2Squared(m1, s1, m2, s2);
        double scale = 0;
        for (int k = 0; k < d; k++) {
            scale += Math.abs(s1[k * d + k]) + Math.abs(s2[k * d + k]);
        }
        // eigen-decompositions are backward stable: error a modest multiple of u·(tr S1 + tr S2); allow 1e3·d·u.
        double bound = 1e3 * d * 0x1p-52 * (scale + v);
        return TransportResult.of(GroundCost.SQUARED_EUCLIDEAN, v, bound, Method.GAUSSIAN_CLOSED_FORM, 0, 0, "");
    }

    /**
     * Bures–W2 between the Gaussian with a sample's mean and covariance (divisor n) and N(m, S): the Gelbrich bound,
     * a lower bound on W2(sample law, N(m, S)) that is equal to it when the sample's law is Gaussian.
     */
    public static TransportResult sampleToGaussian(Batch sample, double[] m, double[] s) {
        if (sample.size() == 0) {
            throw new InvalidInputException("empty sample (n = 0)");
        }
        TransportResult r = gaussian(sample.mean(), populationCovariance(sample), m, s);
        return new TransportResult(r.cost(), r.distance(), r.value(), r.errorBound(), r.method(), sample.size(), 0,
                "Gelbrich bound from the sample's mean and covariance: a lower bound on W2");
    }

    /**
     * Bures–W2 between the Gaussians with the means and covariances (divisor n) of two samples: the Gelbrich lower
     * bound on W2 between their laws (M15); {@link #sampleToGaussian} with b's moments.
     */
    public static TransportResult sampleToSampleMoments(Batch a, Batch b) {
        return sampleToGaussian(a, b.mean(), populationCovariance(b));
    }

    /** The covariance of a sample with divisor n (the moment of its empirical law), row-major d × d. */
    private static double[] populationCovariance(Batch x) {
        double[] cov = x.covariance();
        double f = (x.size() - 1.0) / x.size();
        for (int k = 0; k < cov.length; k++) {
            cov[k] *= f;
        }
        return cov;
    }

    /** Each row repeated {@code times} times (rows i·times .. (i+1)·times − 1 are copies of row i). */
    private static Batch repeat(Batch x, int times) {
        int d = x.dim();
        Batch out = Batch.zeros(x.size() * times, d);
        for (int i = 0; i < x.size(); i++) {
            for (int t = 0; t < times; t++) {
                System.arraycopy(x.data(), i * d, out.data(), (i * times + t) * d, d);
            }
        }
        return out;
    }

    /** A rigorous-enough allowance for summing k non-negative terms of total v in floating point: γ_k·v. */
    static double sumAllowance(int k, double v) {
        return 1.01 * (k + 4) * 0x1p-53 * Math.abs(v);
    }

    static void check(Batch a, Batch b) {
        checkDims(a, b);
        if (a.size() == 0 || b.size() == 0) {
            throw new InvalidInputException("empty sample (n = 0)");
        }
        a.requireFinite("first sample");
        b.requireFinite("second sample");
        requireRepresentableDistances(a, b);
    }

    /**
     * Every metric works with (squared) distances: if |x − y|² can overflow for some pair (bounded by
     * Σ_j (max|a_j| + max|b_j|)², one pass), the answer would be Inf or NaN, or crash a solver that scales costs to
     * integers; stop with a {@link NumericalFailureException} instead (exit 3). A tenth of the largest double leaves
     * room for the sums over points and the auction's scaling.
     */
    static void requireRepresentableDistances(Batch a, Batch b) {
        int d = a.dim();
        double[] ma = new double[d];
        double[] mb = new double[d];
        double[] da = a.data();
        double[] db = b.data();
        for (int k = 0; k < da.length; k++) {
            ma[k % d] = Math.max(ma[k % d], Math.abs(da[k]));
        }
        for (int k = 0; k < db.length; k++) {
            mb[k % d] = Math.max(mb[k % d], Math.abs(db[k]));
        }
        double bound = 0;
        for (int j = 0; j < d; j++) {
            double w = ma[j] + mb[j];
            bound += w * w;
        }
        if (!(bound < 1e-1 * Double.MAX_VALUE / Math.max(1, (double) a.size() + b.size()))) {
            throw new org.pdediff.core.NumericalFailureException("squared distances between the samples can overflow"
                    + " double precision (coordinates up to " + String.format(java.util.Locale.ROOT, "%.3g",
                    Math.max(java.util.Arrays.stream(ma).max().orElse(0), java.util.Arrays.stream(mb).max().orElse(0)))
                    + "); rescale the samples");
        }
    }

    static void checkDims(Batch a, Batch b) {
        if (a.dim() != b.dim()) {
            throw new InvalidInputException("samples of different dimensions: " + a.dim() + " vs " + b.dim());
        }
    }

    /**
     * Integer supplies with one common total for masses of totals ta and tb: ma·(tb/g) and mb·(ta/g), g = gcd(ta, tb),
     * whose marginals normalised are exactly ma/ta and mb/tb (uniform measures: ma, mb all ones, ta = n, tb = m).
     */
    static long[][] commonTotalSupplies(long[] ma, long ta, long[] mb, long tb) {
        long g = BigInteger.valueOf(ta).gcd(BigInteger.valueOf(tb)).longValue();
        long[] sa = new long[ma.length];
        long[] sb = new long[mb.length];
        for (int i = 0; i < sa.length; i++) {
            sa[i] = Math.multiplyExact(ma[i], tb / g);
        }
        for (int j = 0; j < sb.length; j++) {
            sb[j] = Math.multiplyExact(mb[j], ta / g);
        }
        return new long[][] {sa, sb};
    }

    private static long total(long[] m, int size, String which) {
        if (m.length != size) {
            throw new InvalidInputException(which + " masses: " + m.length + " values for " + size + " points");
        }
        long t = 0;
        for (long v : m) {
            if (v < 0) {
                throw new InvalidInputException(which + " masses: negative mass " + v);
            }
            t = Math.addExact(t, v);
        }
        if (t == 0) {
            throw new InvalidInputException(which + " masses: total mass is 0");
        }
        return t;
    }

    private static double[] toDouble(long[] m) {
        double[] w = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            w[i] = m[i];
        }
        return w;
    }

    /** Largest-remainder quantisation of w/Σw to integers summing to total; tv[0] receives ½Σ|w/Σw − q/total|. */
    static long[] quantise(double[] w, int size, long total, double[] tv, String which) {
        if (w.length != size) {
            throw new InvalidInputException(which + " weights: " + w.length + " values for " + size + " points");
        }
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidInputException(which + " weights: invalid weight " + v);
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new InvalidInputException(which + " weights: total weight is 0");
        }
        long[] q = new long[w.length];
        double[] rem = new double[w.length];
        long assigned = 0;
        for (int i = 0; i < w.length; i++) {
            double exact = w[i] / sum * total;
            q[i] = (long) Math.floor(exact);
            rem[i] = exact - q[i];
            assigned += q[i];
        }
        long left = total - assigned;
        Integer[] order = new Integer[w.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(rem[y], rem[x]));
        for (int k = 0; left > 0 && k < order.length; k++, left--) {
            q[order[k]]++;
        }
        for (int k = 0; left < 0 && k < order.length; k++) {
            if (q[order[order.length - 1 - k]] > 0) {
                q[order[order.length - 1 - k]]--;
                left++;
            }
        }
        double t = 0;
        for (int i = 0; i < w.length; i++) {
            t += Math.abs(w[i] / sum - (double) q[i] / total);
        }
        // + the rounding of w/sum itself (a few units of roundoff per entry)
        tv[0] = 0.5 * t + w.length * 0x1p-50;
        return q;
    }

    /**
     * W2 between the empirical measure of the points and the grid density taken as point masses at the cell centres
     * with weights p·|cell| (cells of zero mass dropped; the density is normalised). Exact optimal transport by
     * {@link #exactWeighted(Batch, double[], Batch, double[], GroundCost)} (weights rounded to integers summing to 2³²,
     * the rounding's effect included in the error bound); the grid's own discretisation adds at most √(Σ h_j²)/2 (half a cell diagonal) to W2.
     */
    public static TransportResult toGrid(Batch points, GridDensity p) {
        if (points.dim() != p.grid().dim()) {
            throw new InvalidInputException("points of dimension " + points.dim() + " on a " + p.grid().dim() + "-D grid");
        }
        if (points.size() == 0) {
            throw new InvalidInputException("no points");
        }
        Grid g = p.grid();
        Batch centres = g.centres();
        double vol = g.cellVolume();
        int kept = 0;
        for (double v : p.values()) {
            if (v > 0) {
                kept++;
            }
        }
        if (kept == 0) {
            throw new InvalidInputException("the grid density has no positive mass");
        }
        Batch support = Batch.zeros(kept, g.dim());
        double[] mass = new double[kept];
        int q = 0;
        double[] values = p.values();
        for (int c = 0; c < values.length; c++) {
            if (values[c] > 0) {
                for (int j = 0; j < g.dim(); j++) {
                    support.set(q, j, centres.get(c, j));
                }
                mass[q++] = values[c] * vol;
            }
        }
        double[] ones = new double[points.size()];
        java.util.Arrays.fill(ones, 1);
        return exactWeighted(points, ones, support, mass, GroundCost.SQUARED_EUCLIDEAN);
    }
}
