package org.pdediff.pde;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.GaussianMixture;
import org.pdediff.sde.Sde;

/**
 * The forward Fokker–Planck equation (M3) of a catalogue SDE on a 1-D or 2-D grid,
 * ∂_t p = ∇·(a(t) x p + ½g(t)² ∇p), with the SDE's real time-dependent coefficients.
 *
 * <p>Space: conservative finite volumes with Scharfetter–Gummel fluxes and zero-flux boundaries
 * ({@link Tridiagonal}): mass is conserved to rounding and implicit steps keep positivity. The mass held in the
 * boundary cells is reported ({@link Solution#boundaryMass()}); where the law is known in closed form, the mass it has
 * outside the box is {@link GridMetrics#massOutside}.
 * Every step is checked ({@link MassGuard}): a non-finite value or a mass drift beyond rounding stops the solve
 * with a {@code NumericalFailureException} naming the step and time.
 * Time: Crank–Nicolson with Rannacher damping or backward Euler, per axis ({@link SplitStepper}, in the loop {@link ImplicitLoop}); for the linear drift
 * f = −a(t)x the 2-D operator is the Kronecker sum L₀(t) ⊕ L₁(t) of commuting 1-D operators, so the axis splitting
 * adds no error and each step costs a handful of tridiagonal solves per line. Levels follow {@link TimeMesh}.
 *
 * <p>Example: {@code ForwardFokkerPlanck.builder(sde).steps(400).build().solve(initial, 0.1, 0.5, 1.0)}, with
 * {@code initial = ForwardFokkerPlanck.exactInitial(law, sde, grid, 1e-3)}.
 */
public final class ForwardFokkerPlanck {
    private final Sde sde;
    private final SolverSettings solver;

    private ForwardFokkerPlanck(Builder b) {
        this.sde = b.sde;
        this.solver = b.settings();
    }

    public static Builder builder(Sde sde) {
        return new Builder(sde);
    }

    /**
     * The solution at each requested time, the mass in the outermost ring of cells at each (an indicator of mass that
     * the zero-flux boundary holds back: if it is not negligible the box is too small), and the number of steps.
     */
    public record Solution(List<GridDensity> densities, double[] boundaryMass, int steps) {
        /** The density at output index i. */
        public GridDensity at(int i) {
            return densities.get(i);
        }

        /** The last density. */
        public GridDensity last() {
            return densities.get(densities.size() - 1);
        }
    }

    /** The exact law of a Gaussian-mixture data law at time t0 as cell averages (M11). */
    public static GridDensity exactInitial(GaussianMixture law, Sde sde, Grid grid, double t0) {
        return MixtureLaw.atTime(law, sde, t0).cellAverages(grid, t0);
    }

    public Sde sde() {
        return sde;
    }

    /**
     * Solves from {@code initial} (at time {@code initial.t()}) to each of {@code times} (increasing, after the start).
     * The initial density is not modified.
     */
    public Solution solve(GridDensity initial, double... times) {
        double t0 = initial.t();
        if (times.length == 0) {
            throw new InvalidInputException("no output times");
        }
        double prev = t0;
        for (double t : times) {
            if (!(t > prev) || !Double.isFinite(t)) {
                throw new InvalidInputException("output times must increase from the start time " + t0 + ", got " + t);
            }
            prev = t;
        }
        Grid grid = initial.grid();
        int[] outIdx = new int[times.length];
        double[] lv = solver.levels(sde, grid, t0, times, outIdx);
        double[] p = initial.values().clone();
        MassGuard guard = new MassGuard("forward Fokker-Planck solve", grid, p);
        List<GridDensity> out = new ArrayList<>();
        double[] edge = new double[times.length];
        int nSteps = ImplicitLoop.run(grid, p, lv, outIdx, solver.scheme(), solver.damping(), false, t -> coeffs(grid, t), guard,
                solver.progress(),
                (i, v) -> {
                    out.add(new GridDensity(grid, v.clone(), times[i]));
                    edge[i] = boundaryMass(grid, v);
                });
        return new Solution(List.copyOf(out), edge, nSteps);
    }

    private SplitStepper.Coeffs[] coeffs(Grid grid, double t) {
        double a = sde.driftRate(t);
        double diff = 0.5 * sde.g2(t);
        SplitStepper.Coeffs[] c = new SplitStepper.Coeffs[grid.dim()];
        for (int j = 0; j < grid.dim(); j++) {
            c[j] = SplitStepper.linearDrift(grid, j, a, diff);
        }
        return c;
    }

    /** Mass in the outermost ring of cells (the cells that touch the boundary). */
    static double boundaryMass(Grid grid, double[] p) {
        double s = 0;
        if (grid.dim() == 1) {
            s = p[0] + p[p.length - 1];
        } else {
            int n0 = grid.n(0);
            int n1 = grid.n(1);
            for (int i = 0; i < n0; i++) {
                for (int j = 0; j < n1; j++) {
                    if (i == 0 || j == 0 || i == n0 - 1 || j == n1 - 1) {
                        s += p[i * n1 + j];
                    }
                }
            }
        }
        return s * grid.cellVolume();
    }

    /** Knobs of the forward solver. */
    public static final class Builder extends SolverBuilder<Builder> {
        private final Sde sde;

        private Builder(Sde sde) {
            this.sde = sde;
        }

        public ForwardFokkerPlanck build() {
            return new ForwardFokkerPlanck(this);
        }
    }
}
