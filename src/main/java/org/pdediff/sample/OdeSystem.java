package org.pdediff.sample;

/** A first-order system y' = F(t, y) on a flat state vector (Hipparchus' {@code OrdinaryDifferentialEquation}). */
@FunctionalInterface
interface OdeSystem {
    /** Writes F(t, y) into {@code out} (modified; same length as y; never y itself). {@code y} is not modified. */
    void derivative(double t, double[] y, double[] out);
}
