package org.pdediff.metrics;

import com.google.ortools.Loader;
import com.google.ortools.graph.LinearSumAssignment;
import com.google.ortools.graph.MinCostFlow;
import com.google.ortools.graph.MinCostFlowBase;
import org.pdediff.core.Batch;

/**
 * Exact transport through Google OR-Tools on integer costs.
 *
 * <p>Rounding: costs are scaled by S and rounded, c̃ = round(S·c), with S as large as OR-Tools allows without
 * overflow (assignment: c̃ ≤ 2^60/(n+1)², as its price bounds grow like n²·c̃; min-cost flow: c̃ ≤ 2^60 /
 * max(nodes + 1, total flow), as cost scaling multiplies costs by (nodes + 1) and the total cost is summed in 64 bits). For any plan π of
 * total mass 1, |Σπc − Σπc̃/S| ≤ 1/(2S); hence the true cost of the plan that is optimal for c̃, recomputed here in
 * floating point, exceeds the true optimum by at most 1/S. That 1/S (per unit mass) is the reported error bound.
 *
 * <p>Large min-cost flows (≥ {@link #SPARSE_MIN_PAIRS} pairs) are solved on a sparse arc set with a duality
 * certificate over all pairs ({@link SparseFlow}): the same c̃, S and bound, the same integer optimum.
 */
final class OrTools {
    /** 2^60: the head-room left below 2^63 for every integer product OR-Tools forms. */
    private static final double LIMIT = 0x1p60;

    private OrTools() {
    }

    private static final class Holder {
        static final boolean LOADED;

        static {
            Loader.loadNativeLibraries();
            LOADED = true;
        }
    }

    static void load() {
        if (!Holder.LOADED) {
            throw new IllegalStateException("OR-Tools not loaded");
        }
    }

    /**
     * The outcome: the (true, floating-point) cost of the optimal integer plan, per unit mass, and 1/S.
     *
     * @param integerCost the integer optimum Σ c̃ f (assignment: Σ c̃ over the matching)
     * @param log         what the solver did (empty for a plain dense solve)
     */
    record Outcome(double value, double roundingBound, long integerCost, String log) {
    }

    /** How {@link #minCostFlow} treats the arcs. */
    enum Arcs {
        /** Sparse with a duality certificate from {@link #SPARSE_MIN_PAIRS} pairs on, dense below. */
        AUTO,
        /** The complete bipartite graph. */
        DENSE,
        /** {@link SparseFlow} at any size (dense only if it does not certify). */
        SPARSE
    }

    /**
     * Smallest n·m (points of positive mass) solved on a sparse arc set in {@link Arcs#AUTO} mode. Measured (thread CPU
     * time, blob vs checker histograms): 30k pairs dense 34 ms / sparse 32 ms, 70k 86 / 59 ms, 136k 212 / 115 ms,
     * 350k 759 / 202 ms, 823k 1685 / 329 ms.
     */
    static final long SPARSE_MIN_PAIRS = 50_000;

    /**
     * The mode of {@link #minCostFlow(Batch, long[], Batch, long[], GroundCost)}: system property
     * {@code pdediff.ot.arcs} = auto (default) | dense | sparse, read on each call (for benchmarks; the result is the
     * same integer optimum either way).
     */
    static Arcs arcsMode() {
        String v = System.getProperty("pdediff.ot.arcs", "auto");
        return switch (v) {
            case "dense" -> Arcs.DENSE;
            case "sparse" -> Arcs.SPARSE;
            default -> Arcs.AUTO;
        };
    }

    /** Equal sizes, uniform weights 1/n: LinearSumAssignment. */
    static Outcome assignment(Batch a, Batch b, GroundCost cost) {
        load();
        int n = a.size();
        double maxC = cost.upperBound(a, b);
        if (maxC == 0) {
            return new Outcome(0, 0, 0, "");
        }
        // OR-Tools multiplies costs by (n + 1) and proves its prices stay above ≈ −(n/2)·(ε_old + ε_new) summed
        // over the scaling phases with ε₀ = the largest scaled cost; it answers POSSIBLE_OVERFLOW unless that fits in
        // 64 bits. c̃ ≤ 2^60/(n+1)² keeps (n+1)·c̃·n·1.5 below 2^61.
        double scale = LIMIT / ((n + 1.0) * (n + 1.0)) / maxC;
        LinearSumAssignment lsa = new LinearSumAssignment();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                lsa.addArcWithCost(i, j, Math.round(cost.cost(a, i, b, j) * scale));
            }
        }
        LinearSumAssignment.Status st = lsa.solve();
        if (st != LinearSumAssignment.Status.OPTIMAL) {
            throw new IllegalStateException("OR-Tools LinearSumAssignment returned " + st);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += cost.cost(a, i, b, lsa.getRightMate(i));
        }
        return new Outcome(s / n, 1 / scale, lsa.getOptimalCost(), "");
    }

    /**
     * Integer supplies sa (on a) and demands sb (on b) with equal totals T: MinCostFlow on the complete bipartite graph
     * of the points with positive mass. Returns the cost of the optimal plan divided by T.
     *
     * <p>From {@link #SPARSE_MIN_PAIRS} pairs on, {@link SparseFlow} solves the same integer problem on a sparse arc
     * set and certifies by LP duality that its plan is optimal over all pairs (same integer optimum as the dense
     * solve; the plan may differ among ties); if it does not certify within its rounds, the dense solve follows and
     * the log says so.
     */
    static Outcome minCostFlow(Batch a, long[] sa, Batch b, long[] sb, GroundCost cost) {
        return minCostFlow(a, sa, b, sb, cost, arcsMode());
    }

    static Outcome minCostFlow(Batch a, long[] sa, Batch b, long[] sb, GroundCost cost, Arcs mode) {
        load();
        long total = 0;
        long totalB = 0;
        for (long v : sa) {
            total += v;
        }
        for (long v : sb) {
            totalB += v;
        }
        if (total != totalB || total <= 0) {
            throw new IllegalArgumentException("supplies must be positive with equal totals: " + total + " vs " + totalB);
        }
        int[] ia = positive(sa);
        int[] ib = positive(sb);
        int nodes = ia.length + ib.length;
        double maxC = cost.upperBound(a, b);
        if (maxC == 0) {
            return new Outcome(0, 0, 0, "");
        }
        double scale = LIMIT / Math.max(nodes + 1.0, (double) total) / maxC;
        String log = "";
        if (mode == Arcs.SPARSE || (mode == Arcs.AUTO && (long) ia.length * ib.length >= SPARSE_MIN_PAIRS)) {
            long[] s = new long[ia.length];
            long[] t = new long[ib.length];
            for (int p = 0; p < ia.length; p++) {
                s[p] = sa[ia[p]];
            }
            for (int q = 0; q < ib.length; q++) {
                t[q] = sb[ib[q]];
            }
            SparseFlow.Result r = SparseFlow.solve(a, ia, s, b, ib, t, cost, scale, total);
            if (r.certified()) {
                double v = 0;
                for (int k = 0; k < r.flow().length; k++) {
                    v += r.flow()[k] * cost.cost(a, ia[r.source()[k]], b, ib[r.target()[k]]);
                }
                return new Outcome(v / total, 1 / scale, r.optimum(), r.log());
            }
            log = r.log() + "; dense solve instead";
        }
        MinCostFlow mcf = new MinCostFlow(nodes, ia.length * ib.length);
        for (int p = 0; p < ia.length; p++) {
            for (int q = 0; q < ib.length; q++) {
                mcf.addArcWithCapacityAndUnitCost(p, ia.length + q, Math.min(sa[ia[p]], sb[ib[q]]),
                        Math.round(cost.cost(a, ia[p], b, ib[q]) * scale));
            }
        }
        for (int p = 0; p < ia.length; p++) {
            mcf.setNodeSupply(p, sa[ia[p]]);
        }
        for (int q = 0; q < ib.length; q++) {
            mcf.setNodeSupply(ia.length + q, -sb[ib[q]]);
        }
        MinCostFlowBase.Status st = mcf.solve();
        if (st != MinCostFlowBase.Status.OPTIMAL) {
            mcf.delete();
            throw new IllegalStateException("OR-Tools MinCostFlow returned " + st);
        }
        double s = 0;
        int arcs = mcf.getNumArcs();
        for (int arc = 0; arc < arcs; arc++) {
            long f = mcf.getFlow(arc);
            if (f != 0) {
                int p = mcf.getTail(arc);
                int q = mcf.getHead(arc) - ia.length;
                s += f * cost.cost(a, ia[p], b, ib[q]);
            }
        }
        long opt = mcf.getOptimalCost();
        mcf.delete();
        return new Outcome(s / total, 1 / scale, opt, log);
    }

    private static int[] positive(long[] s) {
        int c = 0;
        for (long v : s) {
            if (v < 0) {
                throw new IllegalArgumentException("negative mass " + v);
            }
            if (v > 0) {
                c++;
            }
        }
        int[] idx = new int[c];
        c = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] > 0) {
                idx[c++] = i;
            }
        }
        return idx;
    }
}
