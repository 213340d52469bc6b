package org.pdediff.sample;

/** How the reverse-time grid from T down to ε is spaced. */
public enum GridKind {
    /** t_k = T − (T − ε)k/K. */
    UNIFORM,
    /** t_k = ε + (T − ε)(1 − k/K)²: steps shrink quadratically towards ε (where the score is steep). */
    QUADRATIC,
    /** t_k = T(ε/T)^{k/K}: equal steps in log t. */
    GEOMETRIC
}
