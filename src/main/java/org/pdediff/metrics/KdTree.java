package org.pdediff.metrics;

import org.pdediff.core.Batch;

/**
 * A k-d tree over the rows of a batch, in primitive arrays (no per-point objects), answering exact two-nearest-
 * neighbour queries. Built by median splits on the coordinate of largest spread; leaves hold up to 16 points.
 * Queries are exact: a subtree is skipped only if the squared distance to its splitting plane is at least the current
 * second-best squared distance. Distances are computed from coordinate differences (no |x|² + |y|² − 2x·y
 * cancellation, so a copied point has distance exactly 0).
 */
final class KdTree {
    private static final int LEAF = 16;

    private final double[] pts;
    private final int d;
    private final int[] perm;
    // node arrays: for node k, [lo, hi) range of perm; split dimension (-1 for leaf) and value; children
    private int[] lo;
    private int[] hi;
    private int[] dim;
    private double[] split;
    private int[] left;
    private int[] right;
    private int nodes;

    KdTree(Batch points) {
        this.pts = points.data();
        this.d = points.dim();
        int n = points.size();
        this.perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int cap = Math.max(1, 4 * (n / LEAF + 1));
        lo = new int[cap];
        hi = new int[cap];
        dim = new int[cap];
        split = new double[cap];
        left = new int[cap];
        right = new int[cap];
        build(0, n);
    }

    private int build(int from, int to) {
        int k = nodes++;
        lo[k] = from;
        hi[k] = to;
        dim[k] = -1;
        if (to - from <= LEAF) {
            return k;
        }
        int best = 0;
        double spread = -1;
        for (int q = 0; q < d; q++) {
            double mn = Double.POSITIVE_INFINITY;
            double mx = Double.NEGATIVE_INFINITY;
            for (int r = from; r < to; r++) {
                double v = pts[perm[r] * d + q];
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
            if (mx - mn > spread) {
                spread = mx - mn;
                best = q;
            }
        }
        if (spread <= 0) {
            return k; // all points equal: a (large) leaf
        }
        int mid = (from + to) >>> 1;
        select(from, to - 1, mid, best);
        dim[k] = best;
        split[k] = pts[perm[mid] * d + best];
        int l = build(from, mid);
        int r = build(mid, to);
        left[k] = l;
        right[k] = r;
        return k;
    }

    /** Quickselect on perm[from..to] so that perm[kth] has the kth smallest coordinate q. */
    private void select(int from, int to, int kth, int q) {
        while (to > from) {
            double pivot = pts[perm[(from + to) >>> 1] * d + q];
            int i = from;
            int j = to;
            while (i <= j) {
                while (pts[perm[i] * d + q] < pivot) {
                    i++;
                }
                while (pts[perm[j] * d + q] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                    i++;
                    j--;
                }
            }
            if (kth <= j) {
                to = j;
            } else if (kth >= i) {
                from = i;
            } else {
                return;
            }
        }
    }

    /**
     * The two nearest points to row {@code i} of {@code x}: out[0] = squared distance to the nearest, out[1] to the
     * second nearest (+∞ if there is only one point); returns the nearest point's index.
     */
    int twoNearest(double[] x, int i, double[] out) {
        double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        int[] idx = {-1};
        search(0, x, i * d, best, idx);
        out[0] = best[0];
        out[1] = best[1];
        return idx[0];
    }

    /**
     * The min(k, size) nearest points to row {@code i} of {@code x}, nearest first (ties by smaller index): their
     * indices go to {@code idx} and squared distances to {@code dist} (both of length ≥ k); returns how many were found.
     */
    int kNearest(double[] x, int i, int k, int[] idx, double[] dist) {
        int[] count = {0};
        java.util.Arrays.fill(dist, 0, k, Double.POSITIVE_INFINITY);
        searchK(0, x, i * d, k, idx, dist, count);
        return count[0];
    }

    private void searchK(int node, double[] x, int o, int k, int[] idx, double[] dist, int[] count) {
        if (dim[node] < 0) {
            for (int r = lo[node]; r < hi[node]; r++) {
                int p = perm[r];
                double s = squaredDistance(x, o, p);
                int c = count[0];
                if (c == k && !(s < dist[k - 1] || (s == dist[k - 1] && p < idx[k - 1]))) {
                    continue;
                }
                // insert into the sorted list (nearest first), dropping the last entry when full
                int pos = c == k ? k - 1 : c;
                while (pos > 0 && (s < dist[pos - 1] || (s == dist[pos - 1] && p < idx[pos - 1]))) {
                    dist[pos] = dist[pos - 1];
                    idx[pos] = idx[pos - 1];
                    pos--;
                }
                dist[pos] = s;
                idx[pos] = p;
                if (c < k) {
                    count[0] = c + 1;
                }
            }
            return;
        }
        double diff = x[o + dim[node]] - split[node];
        int near = diff < 0 ? left[node] : right[node];
        int far = diff < 0 ? right[node] : left[node];
        searchK(near, x, o, k, idx, dist, count);
        if (count[0] < k || diff * diff <= dist[k - 1]) {
            searchK(far, x, o, k, idx, dist, count);
        }
    }

    private void search(int k, double[] x, int o, double[] best, int[] idx) {
        if (dim[k] < 0) {
            for (int r = lo[k]; r < hi[k]; r++) {
                int p = perm[r];
                double s = squaredDistance(x, o, p);
                if (s < best[1]) {
                    if (s < best[0] || (s == best[0] && p < idx[0])) {
                        best[1] = best[0];
                        best[0] = s;
                        idx[0] = p;
                    } else {
                        best[1] = s;
                    }
                }
            }
            return;
        }
        double diff = x[o + dim[k]] - split[k];
        int near = diff < 0 ? left[k] : right[k];
        int far = diff < 0 ? right[k] : left[k];
        search(near, x, o, best, idx);
        if (diff * diff <= best[1]) {
            search(far, x, o, best, idx);
        }
    }

    /** |x[o..o+d) − pts_p|², summed over the coordinates in order (the one distance both searches rank by). */
    private double squaredDistance(double[] x, int o, int p) {
        double s = 0;
        for (int q = 0; q < d; q++) {
            double u = x[o + q] - pts[p * d + q];
            s += u * u;
        }
        return s;
    }
}
