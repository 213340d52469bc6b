package org.pdediff.pde;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.score.ReverseDynamics;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * The law transported by the reverse λ-family (M8) of any score model, as the solution of its Fokker–Planck equation
 * (M9) on a grid: with τ = T − t,
 * ∂_τ w + ∇·(u w) = ½λg(t)²Δw, u(x, t) = a(t)x + ½(1 + λ)g(t)² s_θ(x, t)  (−f = a(t)x; the velocity of
 * {@link ReverseDynamics}, shared with the particle samplers),
 * solved from a grid density at forward time t_start down to the requested forward times. λ = 1 is the reverse SDE
 * (M6), λ = 0 the probability-flow ODE (M7). This gives the ODE- and SDE-induced laws of a score without sampling
 * noise. The score is evaluated once per time level on all cell centres as one batch.
 *
 * <p>λ &gt; 0: Scharfetter–Gummel finite volumes (exact upwinding where the flow dominates), Crank–Nicolson (Rannacher
 * start) or backward Euler per axis, axis order alternating between steps (Strang splitting over each pair of steps;
 * the axis operators no longer commute for a general score). Mass is conserved to rounding.
 * <p>λ = 0 (pure transport): MUSCL finite volumes with the monotonised-central limiter and upwind face fluxes
 * F = u⁺w_L⁺ + u⁻w_R⁻, advanced by the SSP Runge–Kutta 2 (Heun) method with k·Σ_j max|u_j|/h_j ≤ {@code cfl} ≤ ½:
 * second order where smooth, positivity preserving and conservative. The step is the smaller of the time-mesh step
 * and the CFL step.
 */
public final class ReverseFokkerPlanck {
    private final ScoreModel score;
    private final ReverseDynamics dynamics;
    private final double lambda;
    private final double cfl;
    private final SolverSettings solver;

    private ReverseFokkerPlanck(Builder b) {
        this.score = b.score;
        this.lambda = b.lambda;
        this.dynamics = new ReverseDynamics(b.score, b.lambda);
        this.cfl = b.cfl;
        this.solver = b.settings();
    }

    public static Builder builder(ScoreModel score) {
        return new Builder(score);
    }

    /** The solution at each requested forward time, the number of steps and of score evaluations (batches). */
    public record Solution(List<GridDensity> densities, int steps, int scoreEvaluations) {
        public GridDensity at(int i) {
            return densities.get(i);
        }

        public GridDensity last() {
            return densities.get(densities.size() - 1);
        }
    }

    /** The prior N(0, vI) of the SDE as cell averages on the grid, labelled with time T. */
    public static GridDensity prior(Sde sde, Grid grid) {
        int d = grid.dim();
        double[] w = {1};
        double[][] m = {new double[d]};
        double[][] v = {new double[d * d]};
        for (int j = 0; j < d; j++) {
            v[0][j * d + j] = sde.priorVariance();
        }
        return MixtureLaw.of(new org.pdediff.data.GaussianMixture(w, m, v)).cellAverages(grid, sde.T());
    }

    public double lambda() {
        return lambda;
    }

    /**
     * Solves from {@code start} (a density at forward time {@code start.t()}, e.g. the prior at T) down to each of
     * {@code times} (decreasing forward times, all &gt; 0). The start density is not modified.
     */
    public Solution solve(GridDensity start, double... times) {
        Grid grid = start.grid();
        if (grid.dim() != score.dim()) {
            throw new InvalidInputException("grid dimension " + grid.dim() + " differs from the score's " + score.dim());
        }
        double prev = start.t();
        if (times.length == 0) {
            throw new InvalidInputException("no output times");
        }
        for (double t : times) {
            if (!(t < prev) || !(t > 0)) {
                throw new InvalidInputException("reverse output times must decrease from the start time " + start.t()
                        + " and stay > 0, got " + t);
            }
            prev = t;
        }
        int[] outIdx = new int[times.length];
        double[] lv = solver.levels(score.sde(), grid, start.t(), times, outIdx);
        return lambda > 0 ? implicit(start, times, lv, outIdx) : transport(start, times, lv, outIdx);
    }

    private Solution implicit(GridDensity start, double[] times, double[] lv, int[] outIdx) {
        Grid grid = start.grid();
        Batch centres = grid.centres();
        double[] w = start.values().clone();
        MassGuard guard = new MassGuard("reverse Fokker-Planck solve (lambda = " + lambda + ")", grid, w);
        int[] evals = {0};
        List<GridDensity> out = new ArrayList<>();
        int nSteps = ImplicitLoop.run(grid, w, lv, outIdx, solver.scheme(), solver.damping(), true,
                t -> coeffs(grid, centres, t, evals), guard, solver.progress(), (i, v) -> out.add(new GridDensity(grid, v.clone(), times[i])));
        return new Solution(List.copyOf(out), nSteps, evals[0]);
    }

    /** The velocity u = a(t)x + ½(1+λ)g²s(x,t) of {@link ReverseDynamics} at the cell centres (cells × d, row-major). */
    private double[] velocity(Batch centres, double t, int[] evals) {
        Batch u = Batch.zeros(centres.size(), centres.dim());
        dynamics.velocity(centres, t, u);
        evals[0]++;
        double[] v = u.data();
        for (double q : v) {
            if (!Double.isFinite(q)) {
                throw new InvalidInputException("score " + score.describe() + " is not finite on the grid at t=" + t);
            }
        }
        return v;
    }

    private SplitStepper.Coeffs[] coeffs(Grid grid, Batch centres, double t, int[] evals) {
        double[] u = velocity(centres, t, evals);
        double diff = 0.5 * lambda * score.sde().g2(t);
        SplitStepper.Coeffs[] c = new SplitStepper.Coeffs[grid.dim()];
        for (int j = 0; j < grid.dim(); j++) {
            c[j] = SplitStepper.field(grid, j, u, diff);
        }
        return c;
    }

    private Solution transport(GridDensity start, double[] times, double[] lv, int[] outIdx) {
        Grid grid = start.grid();
        Batch centres = grid.centres();
        double[] w = start.values().clone();
        MassGuard guard = new MassGuard("reverse Fokker-Planck solve (lambda = 0)", grid, w);
        double[] w1 = new double[w.length];
        double[] r = new double[w.length];
        int[] evals = {0};
        double t = lv[0];
        double[] u0 = velocity(centres, t, evals);
        List<GridDensity> out = new ArrayList<>();
        int next = 0;
        int taken = 0;
        int nLevels = lv.length - 1;
        for (int s = 1; s <= nLevels; s++) {
            double target = lv[s];
            while (t > target) {
                double k = Math.min(t - target, cfl / rate(grid, u0));
                if (t - k - target < 1e-12 * Math.max(1, Math.abs(target))) {
                    k = t - target;
                }
                double[] u1 = velocity(centres, t - k, evals);
                while (k * rate(grid, u1) > 0.5 && k > 1e-14) {
                    k *= 0.5;
                    u1 = velocity(centres, t - k, evals);
                }
                // SSP-RK2: w1 = w + kR(w, u(t)); w ← ½w + ½(w1 + kR(w1, u(t−k)))
                muscl(grid, w, u0, r);
                for (int i = 0; i < w.length; i++) {
                    w1[i] = w[i] + k * r[i];
                }
                muscl(grid, w1, u1, r);
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.5 * w[i] + 0.5 * (w1[i] + k * r[i]);
                }
                t = (t - k - target < 1e-12 * Math.max(1, Math.abs(target))) ? target : t - k;
                u0 = u1;
                taken++;
            }
            guard.check(w, s, t);
            while (next < times.length && outIdx[next] == s) {
                out.add(new GridDensity(grid, w.clone(), times[next]));
                next++;
            }
            solver.progress().progress(s, nLevels, "t=" + (float) t);
        }
        return new Solution(List.copyOf(out), taken, evals[0]);
    }

    /** Σ_j max|u_j|/h_j: the CFL rate of a velocity field. */
    private static double rate(Grid grid, double[] u) {
        int d = grid.dim();
        double r = 0;
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (int i = j; i < u.length; i += d) {
                m = Math.max(m, Math.abs(u[i]));
            }
            r += m / grid.h(j);
        }
        return Math.max(r, 1e-300);
    }

    /** r = −∇·(u w) by MUSCL (MC limiter) with upwind face fluxes and zero flux on the boundary. */
    static void muscl(Grid grid, double[] w, double[] u, double[] r) {
        java.util.Arrays.fill(r, 0);
        int d = grid.dim();
        for (int j = 0; j < d; j++) {
            int n = grid.n(j);
            double h = grid.h(j);
            int stride = grid.stride(j);
            for (int off : grid.lineStarts(j)) {
                double slopePrev = slope(w, off, stride, 0, n);
                for (int i = 0; i < n - 1; i++) {
                    int a = off + i * stride;
                    int b = a + stride;
                    double slopeNext = slope(w, off, stride, i + 1, n);
                    double uf = 0.5 * (u[a * d + j] + u[b * d + j]);
                    double flux = uf > 0 ? uf * (w[a] + 0.5 * slopePrev) : uf * (w[b] - 0.5 * slopeNext);
                    r[a] -= flux / h;
                    r[b] += flux / h;
                    slopePrev = slopeNext;
                }
            }
        }
    }

    /** MC-limited slope of cell i on a line (zero at the ends). */
    private static double slope(double[] w, int off, int stride, int i, int n) {
        if (i == 0 || i == n - 1) {
            return 0;
        }
        int c = off + i * stride;
        double dm = w[c] - w[c - stride];
        double dp = w[c + stride] - w[c];
        if (dm * dp <= 0) {
            return 0;
        }
        double mc = Math.min(Math.min(2 * Math.abs(dm), 2 * Math.abs(dp)), 0.5 * Math.abs(dm + dp));
        return Math.copySign(mc, dm);
    }

    /**
     * Knobs of the reverse solver: {@link SolverBuilder}'s (λ = 0 may add CFL steps to the levels; the implicit scheme
     * is used for λ &gt; 0), λ and the CFL number.
     */
    public static final class Builder extends SolverBuilder<Builder> {
        private final ScoreModel score;
        private double lambda = 1;
        private double cfl = 0.45;

        private Builder(ScoreModel score) {
            this.score = score;
        }

        /** λ ≥ 0 of the family M8: 1 = reverse SDE (default), 0 = probability-flow ODE. */
        public Builder lambda(double l) {
            if (!(l >= 0) || !Double.isFinite(l)) {
                throw new InvalidInputException("lambda must be >= 0, got " + l);
            }
            this.lambda = l;
            return this;
        }

        /** CFL number of the λ = 0 transport scheme, in (0, ½] (default 0.45). */
        public Builder cfl(double c) {
            if (!(c > 0 && c <= 0.5)) {
                throw new InvalidInputException("cfl must be in (0, 0.5], got " + c);
            }
            this.cfl = c;
            return this;
        }

        public ReverseFokkerPlanck build() {
            return new ReverseFokkerPlanck(this);
        }
    }
}
