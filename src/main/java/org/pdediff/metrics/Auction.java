package org.pdediff.metrics;

import java.util.Arrays;
import org.pdediff.core.Batch;
import org.pdediff.core.ProgressListener;

/**
 * Exact assignment between two equal-size point clouds by Bertsekas' auction algorithm with ε-scaling, computing the
 * costs c_ij = |x_i − y_j|^p on the fly (memory O(n·d), never an n × n matrix), certified by LP duality.
 *
 * <p>Min-cost form. Objects j (rows of b) carry prices p_j. An unassigned person i (row of a) finds its best value
 * w₁ = min_j (c_ij + p_j), attained at j₁, and the second best w₂; it takes j₁ and raises its price,
 * p_{j₁} ← p_{j₁} + (w₂ − w₁) + ε, evicting the previous owner. On termination every pair satisfies ε-complementary
 * slackness, c_{iσ(i)} + p_{σ(i)} ≤ w₁(i) + ε, hence Σ_i c_{iσ(i)} ≤ OPT + n·ε. ε is divided by θ between phases.
 *
 * <p>Certificate: with u_i = min_j (c_ij + p_j), the pair (u, −p) is dual feasible for the assignment LP
 * (u_i − p_j ≤ c_ij), so {@code lower = Σ u_i − Σ p_j ≤ OPT ≤ primal = Σ c_{iσ(i)}}. The solver stops once
 * {@code primal − lower ≤ relGap · primal}; the returned gap is computed, not assumed. A floating-point allowance
 * (Higham's γ_k bound on the sums) is added to the gap.
 */
public final class Auction {
    /** ε is divided by this between scaling phases. */
    private static final double THETA = 10;
    /** Length of each person's candidate list. */
    private static final int CANDIDATES = 32;

    private Auction() {
    }

    /**
     * The outcome of an assignment.
     *
     * @param assignment row of b matched to row i of a
     * @param primal     Σ_i c(a_i, b_{σ(i)}), the cost of the returned matching (an upper bound on OPT)
     * @param lower      a certified lower bound on OPT (dual value minus a rounding allowance)
     * @param phases     ε-scaling phases run
     * @param bids       bids made in all
     * @param scans      full O(n) scans made to rebuild candidate lists
     */
    public record Result(int[] assignment, double primal, double lower, int phases, long bids, long scans) {
        /** primal − lower ≥ 0: a bound on how far {@link #primal} can be above the optimum. */
        public double gap() {
            return Math.max(0, primal - lower);
        }
    }

    /**
     * Solves min_σ Σ_i c(a_i, b_σ(i)) over permutations σ.
     *
     * @param relGap stop when the certified gap is at most relGap × primal (e.g. 1e-12); the solver also stops when ε
     *               reaches the floating-point floor, and then reports the gap it has
     */
    public static Result solve(Batch a, Batch b, GroundCost cost, double relGap, ProgressListener progress) {
        int n = a.size();
        if (b.size() != n || a.dim() != b.dim()) {
            throw new IllegalArgumentException("auction needs equal sizes and dimensions: " + a + " vs " + b);
        }
        if (!(relGap >= 0)) {
            throw new IllegalArgumentException("relGap must be >= 0");
        }
        int d = a.dim();
        double[] x = a.data();
        double[][] yt = new double[d][n]; // b stored coordinate-major for the scan
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < d; k++) {
                yt[k][j] = b.data()[j * d + k];
            }
        }
        int[] objOf = new int[n];
        int[] personOf = new int[n];
        double[] price = new double[n];
        int[] stack = new int[n];
        double maxC = cost.upperBound(a, b);
        if (n == 1 || maxC == 0) {
            int[] id = new int[n];
            Arrays.setAll(id, i -> i);
            double prim = primal(a, b, cost, id);
            return new Result(id, prim, prim, 0, 0, 0);
        }
        boolean sq = cost == GroundCost.SQUARED_EUCLIDEAN;
        // Any starting ε is correct; phases with ε above ~C/100 only cost full scans (measured at n = 5,000, d = 2).
        double eps = maxC / 100;
        // Below this ε the bids drown in rounding of costs of size maxC: no point in going further.
        double epsFloor = maxC * 0x1p-44;
        int phases = 0;
        long bids = 0;
        double[] best2 = new double[2];
        Candidates lists = new Candidates(x, d, yt, n, sq, Math.min(CANDIDATES, n - 1));
        while (true) {
            phases++;
            Arrays.fill(objOf, -1);
            Arrays.fill(personOf, -1);
            int top = 0;
            for (int i = n - 1; i >= 0; i--) {
                stack[top++] = i;
            }
            while (top > 0) {
                int i = stack[--top];
                int j1 = lists.bid(i, price, best2);
                bids++;
                price[j1] += (best2[1] - best2[0]) + eps;
                int prev = personOf[j1];
                personOf[j1] = i;
                objOf[i] = j1;
                if (prev >= 0) {
                    objOf[prev] = -1;
                    stack[top++] = prev;
                }
            }
            progress.progress(phases, -1, "eps=" + eps);
            double prim = primal(a, b, cost, objOf);
            boolean atFloor = eps <= epsFloor;
            if (n * eps <= relGap * prim || atFloor) {
                double low = dualLower(x, d, yt, price, n, sq, prim);
                if (prim - low <= relGap * prim || atFloor) {
                    return new Result(objOf.clone(), prim, low, phases, bids, lists.scans);
                }
            }
            eps = Math.max(eps / THETA, epsFloor);
        }
    }

    /**
     * Per-person candidate lists that make a bid O(K) instead of O(n) while keeping it exact. A list holds the K
     * objects of smallest value c_ij + p_j at the time it was built, and the threshold τ_i = the (K+1)-th smallest value
     * then. Prices only rise, so every object outside the list still has value ≥ τ_i; a bid computed on the list is
     * therefore the exact global (best, second best) whenever the list's second best is ≤ τ_i. Otherwise the list is
     * rebuilt by a full scan.
     */
    /** The smallest and second-smallest of the values offered, and the object of the smallest (one bid's scan). */
    private static final class TopTwo {
        double w1;
        double w2;
        int j1;

        TopTwo reset() {
            w1 = Double.POSITIVE_INFINITY;
            w2 = Double.POSITIVE_INFINITY;
            j1 = -1;
            return this;
        }

        void offer(int j, double w) {
            if (w < w2) {
                if (w < w1) {
                    w2 = w1;
                    w1 = w;
                    j1 = j;
                } else {
                    w2 = w;
                }
            }
        }
    }

    private static final class Candidates {
        final double[] x;
        final int d;
        final double[][] yt;
        final int n;
        final boolean sq;
        final int k;
        final int[] obj;
        final double[] cost;
        final double[] thr;
        final boolean[] built;
        final double[] heapV;
        final int[] heapJ;
        final double[] scratch;

        Candidates(double[] x, int d, double[][] yt, int n, boolean sq, int k) {
            this.x = x;
            this.d = d;
            this.yt = yt;
            this.n = n;
            this.sq = sq;
            this.k = k;
            this.obj = new int[n * k];
            this.cost = new double[n * k];
            this.thr = new double[n];
            this.built = new boolean[n];
            this.heapV = new double[k + 1];
            this.heapJ = new int[k + 1];
            this.scratch = new double[n];
        }

        int bid(int i, double[] price, double[] out) {
            if (built[i]) {
                TopTwo b = top.reset();
                int o = i * k;
                for (int c = 0; c < k; c++) {
                    int j = obj[o + c];
                    b.offer(j, cost[o + c] + price[j]);
                }
                if (b.w2 <= thr[i]) {
                    out[0] = b.w1;
                    out[1] = b.w2;
                    return b.j1;
                }
            }
            return rebuild(i, price, out);
        }

        /** Full scan: keeps the K+1 smallest values in a max-heap; returns the best as a bid. */
        long scans;
        private int rebuild(int i, double[] price, double[] out) {
            scans++;
            double[] wv = scratch;
            values(x, i, d, yt, price, n, sq, wv);
            int size = 0;
            for (int j = 0; j < n; j++) {
                double v = wv[j];
                if (size <= k) {
                    heapV[size] = v;
                    heapJ[size] = j;
                    siftUp(size++);
                } else if (v < heapV[0]) {
                    heapV[0] = v;
                    heapJ[0] = j;
                    siftDown(size);
                }
            }
            // heap root = (K+1)-th smallest value: the threshold; the other K entries form the list.
            thr[i] = heapV[0];
            int base = i * k;
            TopTwo b = top.reset();
            for (int c = 1; c <= k; c++) {
                int j = heapJ[c];
                obj[base + c - 1] = j;
                cost[base + c - 1] = exactCost(i, j);
                b.offer(j, heapV[c]);
            }
            built[i] = true;
            out[0] = b.w1;
            // the root is a candidate for the second best too (it is the (K+1)-th smallest overall)
            out[1] = Math.min(b.w2, heapV[0]);
            return b.j1;
        }

        private final TopTwo top = new TopTwo();

        private double exactCost(int i, int j) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double u = x[i * d + q] - yt[q][j];
                s += u * u;
            }
            return sq ? s : Math.sqrt(s);
        }

        private void siftUp(int c) {
            while (c > 0) {
                int parent = (c - 1) >>> 1;
                if (heapV[parent] >= heapV[c]) {
                    return;
                }
                swap(parent, c);
                c = parent;
            }
        }

        private void siftDown(int size) {
            int c = 0;
            while (true) {
                int l = 2 * c + 1;
                if (l >= size) {
                    return;
                }
                int m = (l + 1 < size && heapV[l + 1] > heapV[l]) ? l + 1 : l;
                if (heapV[m] <= heapV[c]) {
                    return;
                }
                swap(m, c);
                c = m;
            }
        }

        private void swap(int a, int b) {
            double tv = heapV[a];
            heapV[a] = heapV[b];
            heapV[b] = tv;
            int tj = heapJ[a];
            heapJ[a] = heapJ[b];
            heapJ[b] = tj;
        }
    }

    /** w_j = c(x_i, y_j) + p_j for all j (a loop the JIT vectorises). */
    static void values(double[] x, int i, int d, double[][] yt, double[] price, int n, boolean sq, double[] w) {
        if (d == 2) {
            double x0 = x[2 * i];
            double x1 = x[2 * i + 1];
            double[] y0 = yt[0];
            double[] y1 = yt[1];
            for (int j = 0; j < n; j++) {
                double u = x0 - y0[j];
                double v = x1 - y1[j];
                w[j] = u * u + v * v;
            }
        } else {
            java.util.Arrays.fill(w, 0, n, 0);
            for (int q = 0; q < d; q++) {
                double xq = x[i * d + q];
                double[] yq = yt[q];
                for (int j = 0; j < n; j++) {
                    double u = xq - yq[j];
                    w[j] += u * u;
                }
            }
        }
        if (!sq) {
            for (int j = 0; j < n; j++) {
                w[j] = Math.sqrt(w[j]);
            }
        }
        for (int j = 0; j < n; j++) {
            w[j] += price[j];
        }
    }

    /**
     * Σ_i min_j (c_ij + p_j) − Σ_j p_j minus a rounding allowance: a lower bound on the optimum (weak LP duality).
     */
    private static double dualLower(double[] x, int d, double[][] yt, double[] price, int n, boolean sq, double primal) {
        double[] w = new double[n];
        double su = 0;
        double sAbs = 0;
        for (int i = 0; i < n; i++) {
            values(x, i, d, yt, price, n, sq, w);
            double m = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                m = Math.min(m, w[j]);
            }
            su += m;
            sAbs += Math.abs(m);
        }
        double sp = 0;
        for (int j = 0; j < n; j++) {
            sp += price[j];
            sAbs += Math.abs(price[j]);
        }
        // Each c_ij + p_j carries a relative error of at most (d + 3) units of roundoff, and summing k terms at most
        // γ_k = k·u/(1 − k·u) relative to Σ|terms| (Higham, Accuracy and Stability, §4.2): bound both generously.
        double u = 0x1p-53;
        double allowance = (2.0 * n + d + 8) * u * (sAbs + Math.abs(primal)) * 1.01;
        return su - sp - allowance;
    }

    /** Σ_i c(a_i, b_{σ(i)}). */
    static double primal(Batch a, Batch b, GroundCost cost, int[] sigma) {
        double s = 0;
        for (int i = 0; i < sigma.length; i++) {
            s += cost.cost(a, i, b, sigma[i]);
        }
        return s;
    }
}
