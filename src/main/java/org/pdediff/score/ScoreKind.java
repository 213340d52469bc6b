package org.pdediff.score;

import java.util.List;
import org.pdediff.data.DataSet;
import org.pdediff.sde.Sde;

/**
 * A kind of score named by the first part of a {@code --score} spec ({@code exact}, {@code gmm}, {@code torchscript},
 * {@code model}, …). The kinds of this package are listed in {@link Scores}; kinds of the layers above (trained
 * checkpoints) are found with {@link java.util.ServiceLoader} from {@code META-INF/services/org.pdediff.score.ScoreKind},
 * so no start-up call is needed and this package does not depend on them.
 */
public interface ScoreKind {
    /** The names this kind answers to, lower case; the first is the one listed in messages. */
    List<String> names();

    /** Builds a score for a data set and SDE from the part of the spec after the name (empty when there is none). */
    ScoreModel create(String argument, DataSet data, Sde sde);
}
