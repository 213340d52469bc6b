package org.pdediff.pde;

/** Implicit time discretisation of the grid Fokker–Planck solvers. */
public enum TimeScheme {
    /**
     * Crank–Nicolson per axis, (I − ½kL(t₁))p' = (I + ½kL(t₀))p: second order; the first few steps are replaced by two
     * backward-Euler half steps each (Rannacher damping) to damp the stiff modes of non-smooth initial data. Not
     * unconditionally positivity preserving: the summary reports the minimum.
     */
    CRANK_NICOLSON,
    /** Backward Euler per axis, (I − kL(t₁))p' = p: first order, positivity preserving for any step (M-matrix). */
    BACKWARD_EULER
}
