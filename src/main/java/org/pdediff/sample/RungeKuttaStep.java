package org.pdediff.sample;

import org.pdediff.core.Batch;
import org.pdediff.score.ReverseDynamics;

/**
 * The probability-flow ODE (M7) dx/dt = F(x, t) = −u(x, t) of {@link ReverseDynamics} (λ = 0), one fixed step of an
 * explicit Runge–Kutta tableau from t_k to t_{k+1} = t_k − h (signed step H = −h):
 * k_i = F(t_k − c_i h, x − h Σ a_ij k_j), x ← x − h Σ b_i k_i. Euler (order 1), Heun (2), RK4 (4): NFE per step 1, 2, 4.
 */
record RungeKuttaStep(ButcherTableau tableau) implements GridStep.Method {
    @Override
    public GridStep forRun(Run run) {
        RungeKutta rk = new RungeKutta(tableau, flow(run), run.n * run.d);
        return (r, k, last) -> rk.step(r.grid.time(k), -r.grid.step(k), r.x.data());
    }

    /** F(y, t) = −u(y, t) over a run's flat particle array; counts one evaluation per call. */
    static OdeSystem flow(Run run) {
        ReverseDynamics dyn = ReverseDynamics.probabilityFlow(run.score);
        return (t, y, out) -> {
            dyn.flowVelocity(Batch.wrap(y, run.n, run.d), t, Batch.wrap(out, run.n, run.d));
            run.nfe++;
        };
    }
}
