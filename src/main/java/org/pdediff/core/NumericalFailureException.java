package org.pdediff.core;

/**
 * A numerical failure: a computation that was well posed produced NaN, ±Inf or values far outside their plausible
 * range (a sampler whose state blew up, a grid solver that lost mass, a training whose loss became non-finite). It is
 * not an input error: the command line prints its message as one line and exits with status 3
 * ({@code Main.NUMERICAL_FAILURE}), so that scripts can tell it from bad input (status 2).
 *
 * <p>The message names where it happened (the step, the time, the point index) and, when one is known, what to
 * change (fewer steps, a larger stopping time, a lower learning rate).
 */
public class NumericalFailureException extends RuntimeException {
    public NumericalFailureException(String message) {
        super(message);
    }

    public NumericalFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
