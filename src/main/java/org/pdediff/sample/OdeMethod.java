package org.pdediff.sample;

/** Fixed-step Runge–Kutta methods for the probability-flow ODE. */
enum OdeMethod {
    EULER(1), HEUN(2), RK4(4);

    final int order;

    OdeMethod(int order) {
        this.order = order;
    }
}
