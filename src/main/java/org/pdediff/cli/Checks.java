package org.pdediff.cli;

import org.pdediff.core.InvalidInputException;

/**
 * The option checks that several commands make before any work, each message written once: bad input is an
 * {@link InvalidInputException} (one line, exit 2) that names the option, the bound and the value given.
 */
final class Checks {
    private Checks() {
    }

    /** {@code value >= min}, else "OPTION must be >= MIN, got VALUE". */
    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new InvalidInputException(option + " must be >= " + min + ", got " + value);
        }
    }

    /** {@code value > bound}, else "OPTION must be > BOUND, got VALUE". */
    static void above(String option, long value, long bound) {
        if (value <= bound) {
            throw new InvalidInputException(option + " must be > " + bound + ", got " + value);
        }
    }

    /** A finite value, > 0 (or >= 0 when {@code zeroOk}). */
    static void finite(String option, double v, boolean zeroOk) {
        if (!Double.isFinite(v) || v < 0 || (!zeroOk && v == 0)) {
            throw new InvalidInputException(option + " must be a finite number " + (zeroOk ? ">= 0" : "> 0") + ", got " + v);
        }
    }

    /** The stopping time of a reverse-time run: 0 &lt; eps &lt; T of the forward SDE. */
    static void stoppingTime(double eps, double T) {
        if (!(eps > 0) || !(eps < T)) {
            throw new InvalidInputException("--eps must satisfy 0 < eps < T=" + T + ", got " + eps);
        }
    }
}
