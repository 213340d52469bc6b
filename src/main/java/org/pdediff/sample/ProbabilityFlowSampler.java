package org.pdediff.sample;

import org.pdediff.core.Batch;

/**
 * The probability-flow ODE (M7) dx/dt = F(x, t) = f(x, t) − ½g(t)² s(x, t), integrated backwards from t_k to
 * t_{k+1} = t_k − h with a fixed-step Runge–Kutta method:
 * <ul>
 * <li>Euler (order 1): x ← x − h F(x, t_k).</li>
 * <li>Heun (order 2): k₁ = F(x, t_k), k₂ = F(x − hk₁, t_{k+1}), x ← x − (h/2)(k₁ + k₂).</li>
 * <li>RK4 (order 4): k₁ = F(x, t_k), k₂ = F(x − (h/2)k₁, t_k − h/2), k₃ = F(x − (h/2)k₂, t_k − h/2),
 * k₄ = F(x − hk₃, t_{k+1}), x ← x − (h/6)(k₁ + 2k₂ + 2k₃ + k₄).</li>
 * </ul>
 * NFE per step: 1, 2, 4.
 */
final class ProbabilityFlowSampler extends AbstractSampler {
    private final OdeMethod method;
    private Batch k1;
    private Batch k2;
    private Batch k3;
    private Batch k4;
    private Batch tmp;

    ProbabilityFlowSampler(SamplingOptions opts, OdeMethod method) {
        super(opts);
        this.method = method;
    }

    /** out ← F(at, t) = −a(t)·at − ½g²(t)·s(at, t). */
    static void velocity(Run run, Batch at, double t, Batch out) {
        run.evalScore(at, t, out);
        double a = run.sde.driftRate(t);
        double c = 0.5 * run.sde.g2(t);
        double[] x = at.data();
        double[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            o[q] = -a * x[q] - c * o[q];
        }
    }

    /** out ← x + c·v. */
    static void axpy(Batch x, double c, Batch v, Batch out) {
        double[] a = x.data();
        double[] b = v.data();
        double[] o = out.data();
        for (int q = 0; q < o.length; q++) {
            o[q] = a[q] + c * b[q];
        }
    }

    @Override
    protected int integrate(Run run) {
        k1 = Batch.zeros(run.n, run.d);
        k2 = Batch.zeros(run.n, run.d);
        k3 = Batch.zeros(run.n, run.d);
        k4 = Batch.zeros(run.n, run.d);
        tmp = Batch.zeros(run.n, run.d);
        return super.integrate(run);
    }

    @Override
    protected void step(Run run, int k, boolean last) {
        double t = run.grid.time(k);
        double h = run.grid.step(k);
        double[] x = run.x.data();
        switch (method) {
            case EULER -> {
                velocity(run, run.x, t, k1);
                axpy(run.x, -h, k1, run.x);
            }
            case HEUN -> {
                velocity(run, run.x, t, k1);
                axpy(run.x, -h, k1, tmp);
                velocity(run, tmp, t - h, k2);
                double[] a = k1.data();
                double[] b = k2.data();
                for (int q = 0; q < x.length; q++) {
                    x[q] -= 0.5 * h * (a[q] + b[q]);
                }
            }
            case RK4 -> {
                velocity(run, run.x, t, k1);
                axpy(run.x, -0.5 * h, k1, tmp);
                velocity(run, tmp, t - 0.5 * h, k2);
                axpy(run.x, -0.5 * h, k2, tmp);
                velocity(run, tmp, t - 0.5 * h, k3);
                axpy(run.x, -h, k3, tmp);
                velocity(run, tmp, t - h, k4);
                double[] a = k1.data();
                double[] b = k2.data();
                double[] c = k3.data();
                double[] e = k4.data();
                for (int q = 0; q < x.length; q++) {
                    x[q] -= h / 6 * (a[q] + 2 * b[q] + 2 * c[q] + e[q]);
                }
            }
            default -> throw new IllegalStateException();
        }
    }
}
