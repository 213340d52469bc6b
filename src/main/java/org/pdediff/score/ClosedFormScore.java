package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.sde.Sde;

/**
 * What the closed-form scores (the exact score of a data set, M10; of a Gaussian mixture, M11; of one datum, M12)
 * share: the forward SDE, the dimension d, and the one-line check that a batch has that dimension.
 */
abstract class ClosedFormScore implements WithJacobian, WithLogDensity {
    /** The forward SDE of the marginals. */
    final Sde sde;
    /** The dimension of the data. */
    final int d;
    /** How the dimension error names this score ("an exact score", ...). */
    private final String name;

    ClosedFormScore(Sde sde, int d, String name) {
        this.sde = sde;
        this.d = d;
        this.name = name;
    }

    @Override
    public final Sde sde() {
        return sde;
    }

    @Override
    public final int dim() {
        return d;
    }

    /** Fails with one line when the points of x are not of dimension d. */
    final void requireDim(Batch x) {
        if (x.dim() != d) {
            throw new InvalidInputException("points of dimension " + x.dim() + " given to " + name + " of dimension " + d);
        }
    }
}
