package org.pdediff.metrics;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;

/**
 * Debiased Sinkhorn divergence between uniform empirical measures (MATH.md §8):
 * S_ε(a, b) = OT_ε(a, b) − ½ OT_ε(a, a) − ½ OT_ε(b, b), with the entropic cost
 * OT_ε(a, b) = min_π ⟨π, C⟩ + ε KL(π | a ⊗ b) and C_ij = |x_i − y_j|^p.
 *
 * <p>Log-domain Sinkhorn iterations on the dual potentials (stable for any ε):
 * f_i ← −ε log Σ_j b_j exp((g_j − C_ij)/ε),  g_j ← −ε log Σ_i a_i exp((f_i − C_ij)/ε), at convergence
 * OT_ε = ⟨f, a⟩ + ⟨g, b⟩. ε-scaling: ε starts at max C and is halved after each iteration until it reaches the
 * target, then the iterations continue at the target until the first marginal's L1 error
 * Σ_i a_i |exp((f_i − f_i⁺)/ε) − 1| is below {@code tolerance} (free: it is the ratio of successive potentials).
 *
 * <p>Limit: for uniform weights on n points, W_p^p − ε log n ≤ S_ε ≤ W_p^p + ε log n (plug in the optimal
 * permutation, whose KL to a ⊗ b is log n, and use KL ≥ 0), so S_ε → W_p^p as ε → 0.
 *
 * <p>Built with {@link #builder()}, whose setters validate.
 *
 * @param cost            the ground cost
 * @param epsilon         absolute ε, or NaN to use {@code relativeEpsilon}
 * @param relativeEpsilon ε as a fraction of the mean cost
 * @param tolerance       target L1 marginal error
 * @param maxIterations   cap on the iterations of each problem
 */
public record Sinkhorn(GroundCost cost, double epsilon, double relativeEpsilon, double tolerance, int maxIterations) {
    /** Largest n·m of one cost matrix held in memory. */
    public static final long MAX_ENTRIES = 16_000_000L;

    /** Validates the knobs as the builder's setters do (ε may be NaN: relative to the mean cost). */
    public Sinkhorn {
        java.util.Objects.requireNonNull(cost, "cost");
        if (!Double.isNaN(epsilon) && (!(epsilon > 0) || !Double.isFinite(epsilon))) {
            throw new InvalidInputException("Sinkhorn epsilon must be positive and finite, got " + epsilon);
        }
        if (!(relativeEpsilon > 0) || !Double.isFinite(relativeEpsilon)) {
            throw new InvalidInputException("relative Sinkhorn epsilon must be positive, got " + relativeEpsilon);
        }
        if (!(tolerance > 0)) {
            throw new InvalidInputException("Sinkhorn tolerance must be positive, got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new InvalidInputException("Sinkhorn iterations must be >= 1, got " + maxIterations);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Knobs: cost (W2), ε (absolute, or relative to the mean cost: default 0.01 × mean C), tolerance, iterations. */
    public static final class Builder {
        private GroundCost cost = GroundCost.SQUARED_EUCLIDEAN;
        private double epsilon = Double.NaN;
        private double relativeEpsilon = 0.01;
        private double tolerance = 1e-6;
        private int maxIterations = 2000;

        public Builder cost(GroundCost c) {
            this.cost = c;
            return this;
        }

        /** Absolute ε (in units of the cost). */
        public Builder epsilon(double e) {
            if (!(e > 0) || !Double.isFinite(e)) {
                throw new InvalidInputException("Sinkhorn epsilon must be positive and finite, got " + e);
            }
            this.epsilon = e;
            return this;
        }

        /** ε as a fraction of the mean cost between the two sets (used when no absolute ε is set). */
        public Builder relativeEpsilon(double r) {
            if (!(r > 0) || !Double.isFinite(r)) {
                throw new InvalidInputException("relative Sinkhorn epsilon must be positive, got " + r);
            }
            this.relativeEpsilon = r;
            return this;
        }

        public Builder tolerance(double t) {
            if (!(t > 0)) {
                throw new InvalidInputException("Sinkhorn tolerance must be positive, got " + t);
            }
            this.tolerance = t;
            return this;
        }

        public Builder maxIterations(int m) {
            if (m < 1) {
                throw new InvalidInputException("Sinkhorn iterations must be >= 1, got " + m);
            }
            this.maxIterations = m;
            return this;
        }

        public Sinkhorn build() {
            return new Sinkhorn(cost, epsilon, relativeEpsilon, tolerance, maxIterations);
        }
    }

    /**
     * The result.
     *
     * @param divergence    S_ε(a, b) (for W2: approximates {@code w2_sq})
     * @param entropicCost  OT_ε(a, b)
     * @param transportCost ⟨π, C⟩ of the entropic plan between a and b (≥ W_p^p)
     * @param epsilon       the ε used
     * @param iterations    iterations of the (a, b) problem (including the ε-scaling ones)
     * @param converged     whether all three problems met the tolerance
     * @param marginalError the largest final L1 marginal error of the three problems
     */
    public record Result(double divergence, double entropicCost, double transportCost, double epsilon, int iterations,
                         boolean converged, double marginalError) {
        /** √max(S_ε, 0). */
        public double distance() {
            return Math.sqrt(Math.max(0, divergence));
        }
    }

    /** S_ε between the uniform empirical measures of a and b. */
    public Result divergence(Batch a, Batch b) {
        Wasserstein.check(a, b);
        double[] cab = matrix(a, b);
        double mean = 0;
        for (double v : cab) {
            mean += v;
        }
        mean /= cab.length;
        double eps = Double.isNaN(epsilon) ? relativeEpsilon * mean : epsilon;
        if (!(eps > 0)) {
            eps = relativeEpsilon; // both sets are one point: any ε gives 0
        }
        // identical inputs make the cross problem symmetric: the symmetric iteration converges where alternating stalls
        Solve ab = sameRows(a, b) ? solveSymmetric(cab, a.size(), eps) : solve(cab, a.size(), b.size(), eps);
        Solve aa = solveSymmetric(matrix(a, a), a.size(), eps);
        Solve bb = solveSymmetric(matrix(b, b), b.size(), eps);
        double s = ab.value - 0.5 * aa.value - 0.5 * bb.value;
        double err = Math.max(ab.error, Math.max(aa.error, bb.error));
        // converged means a finite answer: never converged=true with an infinite or NaN cost
        boolean conv = ab.converged && aa.converged && bb.converged && Double.isFinite(s) && Double.isFinite(ab.value)
                && Double.isFinite(ab.transport) && Double.isFinite(err);
        if (!Double.isFinite(s) || !Double.isFinite(ab.value) || !Double.isFinite(ab.transport)) {
            throw new NumericalFailureException("Sinkhorn: non-finite result (divergence " + s + ", entropic cost "
                    + ab.value + ", transport cost " + ab.transport + ") at epsilon " + eps + " after " + ab.iterations
                    + " iterations; try a larger --epsilon");
        }
        return new Result(s, ab.value, ab.transport, eps, ab.iterations, conv, err);
    }

    private static boolean sameRows(Batch a, Batch b) {
        return a == b || java.util.Arrays.equals(a.data(), b.data());
    }

    private double[] matrix(Batch a, Batch b) {
        long entries = (long) a.size() * b.size();
        if (entries > MAX_ENTRIES) {
            throw new InvalidInputException("Sinkhorn needs an " + a.size() + " x " + b.size() + " cost matrix, more than "
                    + MAX_ENTRIES + " entries: subsample, or use the sliced W2 (sw2)");
        }
        int n = a.size();
        int m = b.size();
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double v = cost.cost(a, i, b, j);
                if (!Double.isFinite(v)) {
                    throw new NumericalFailureException("Sinkhorn: the ground cost between point " + i + " and point " + j
                            + " overflows (" + v + "): the points are too far apart for double precision; rescale them");
                }
                c[i * m + j] = v;
            }
        }
        return c;
    }

    /**
     * One Sinkhorn update in the log domain: −ε log Σ_k exp((pot_k − C_k)/ε + log w) over the cost entries
     * C_k = c[at + k·step], k &lt; pot.length (a row of C for step 1, a column for step m), with the uniform weight
     * w = e^{logW}; the largest exponent is taken out first so that nothing overflows.
     */
    private static double softMin(double[] pot, double[] c, int at, int step, double eps, double logW) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < pot.length; k++) {
            mx = Math.max(mx, (pot[k] - c[at + k * step]) / eps);
        }
        double s = 0;
        for (int k = 0; k < pot.length; k++) {
            s += Math.exp((pot[k] - c[at + k * step]) / eps - mx);
        }
        return -eps * (mx + Math.log(s) + logW);
    }

    private record Solve(double value, double transport, int iterations, boolean converged, double error) {
    }

    /**
     * OT_ε(a, a) for a symmetric cost: the symmetric potential f = g is the fixed point of
     * T(f)_i = −ε log Σ_j a_j exp((f_j − C_ij)/ε); the averaged iteration f ← ½(f + T(f)) converges fast where the
     * alternating one can stall (Feydy et al. 2019). OT_ε(a, a) = 2⟨f, a⟩.
     */
    Solve solveSymmetric(double[] c, int n, double target) {
        double logA = -Math.log(n);
        double[] f = new double[n];
        double[] t = new double[n];
        Scaling sc = new Scaling(c, target, maxIterations);
        while (sc.next()) {
            for (int i = 0; i < n; i++) {
                t[i] = softMin(f, c, i * n, 1, sc.eps, logA);
            }
            boolean done = false;
            if (sc.atTarget()) {
                // marginal of π(f, f): a_i exp((f_i − T(f)_i)/ε)
                double err = 0;
                for (int i = 0; i < n; i++) {
                    err += Math.abs(Math.expm1((f[i] - t[i]) / sc.eps)) / n;
                }
                done = sc.meets(err, tolerance);
            }
            for (int i = 0; i < n; i++) {
                f[i] = 0.5 * (f[i] + t[i]);
            }
            if (done) {
                break;
            }
            sc.halve();
        }
        double value = 0;
        for (int i = 0; i < n; i++) {
            value += 2 * f[i] / n;
        }
        double transport = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                transport += Math.exp((f[i] + f[j] - c[i * n + j]) / sc.eps + 2 * logA) * c[i * n + j];
            }
        }
        return sc.result(value, transport);
    }

    /**
     * Log-domain Sinkhorn with ε-scaling for uniform weights on an n × m cost matrix: alternating updates (the
     * averaged ones of {@link #solveSymmetric} were measured slower here). Error: the L1 error of the first marginal
     * of π(f, g) (the second is exact after the g-update).
     */
    Solve solve(double[] c, int n, int m, double target) {
        double logA = -Math.log(n);
        double logB = -Math.log(m);
        double[] f = new double[n];
        double[] g = new double[m];
        double[] fNew = new double[n];
        Scaling sc = new Scaling(c, target, maxIterations);
        double lastEps = Double.NaN; // the ε of the previous iteration's potentials
        while (sc.next()) {
            // f-update; its change gives the first marginal's error at the previous potentials
            for (int i = 0; i < n; i++) {
                fNew[i] = softMin(g, c, i * m, 1, sc.eps, logB);
            }
            if (sc.atTarget() && lastEps == target) {
                double err = 0;
                for (int i = 0; i < n; i++) {
                    err += Math.abs(Math.expm1((f[i] - fNew[i]) / sc.eps)) / n;
                }
                if (sc.meets(err, tolerance)) {
                    break; // (f, g) meets the tolerance: keep it
                }
            }
            System.arraycopy(fNew, 0, f, 0, n);
            for (int j = 0; j < m; j++) {
                g[j] = softMin(f, c, j, m, sc.eps, logA);
            }
            lastEps = sc.eps;
            sc.halve();
        }
        double value = 0;
        for (int i = 0; i < n; i++) {
            value += f[i] / n;
        }
        for (int j = 0; j < m; j++) {
            value += g[j] / m;
        }
        double transport = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                transport += Math.exp((f[i] + g[j] - c[i * m + j]) / sc.eps + logA + logB) * c[i * m + j];
            }
        }
        return sc.result(value, transport);
    }

    /**
     * The ε-scaling of both solvers: ε starts at max C (at least the target) and is halved after each iteration
     * until it reaches the target; the iterations are counted up to the cap, with the last marginal error measured.
     */
    private static final class Scaling {
        private final double target;
        private final int cap;
        double eps;
        private int it;
        private double err = Double.POSITIVE_INFINITY;
        private boolean converged;

        Scaling(double[] c, double target, int cap) {
            double maxC = 0;
            for (double v : c) {
                maxC = Math.max(maxC, v);
            }
            this.target = target;
            this.cap = cap;
            this.eps = Math.max(maxC, target);
        }

        /** Counts one more iteration; false when the cap is reached. */
        boolean next() {
            if (it >= cap) {
                return false;
            }
            it++;
            return true;
        }

        boolean atTarget() {
            return eps == target;
        }

        /** Records this iteration's L1 marginal error; whether it is below the tolerance (then converged). */
        boolean meets(double error, double tolerance) {
            err = error;
            converged = error < tolerance;
            return converged;
        }

        void halve() {
            eps = Math.max(target, eps / 2);
        }

        Solve result(double value, double transport) {
            return new Solve(value, transport, it, converged, err);
        }
    }
}
