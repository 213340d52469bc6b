package org.pdediff.pde;

import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;

/**
 * The knobs shared by the builders of the grid Fokker–Planck solvers ({@link ForwardFokkerPlanck.Builder},
 * {@link ReverseFokkerPlanck.Builder}): the time mesh ({@link TimeMesh}: about {@code steps} levels, variance floor δ)
 * and the implicit scheme of {@link ImplicitLoop}.
 *
 * @param <B> the concrete builder
 */
public abstract class SolverBuilder<B extends SolverBuilder<B>> {
    int steps = 400;
    TimeScheme scheme = TimeScheme.CRANK_NICOLSON;
    int damping = 2;
    double floor = Double.NaN;
    ProgressListener progress = ProgressListener.NONE;

    SolverBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** About this many time levels from the start to the last output (default 400). */
    public B steps(int n) {
        if (n < 1) {
            throw new InvalidInputException("steps must be >= 1, got " + n);
        }
        this.steps = n;
        return self();
    }

    /** The implicit time scheme (default Crank–Nicolson with a Rannacher start). */
    public B scheme(TimeScheme s) {
        this.scheme = s;
        return self();
    }

    /** Number of initial Crank–Nicolson steps replaced by two backward-Euler half steps (default 2). */
    public B dampingSteps(int n) {
        if (n < 0) {
            throw new InvalidInputException("damping steps must be >= 0");
        }
        this.damping = n;
        return self();
    }

    /** The variance floor δ of the time mesh (default: the squared smallest cell width). */
    public B varianceFloor(double v) {
        if (!(v > 0)) {
            throw new InvalidInputException("variance floor must be > 0");
        }
        this.floor = v;
        return self();
    }

    public B progress(ProgressListener l) {
        this.progress = l;
        return self();
    }

    /** The knobs set (or defaulted) so far. */
    SolverSettings settings() {
        return new SolverSettings(steps, scheme, damping, floor, progress);
    }
}
