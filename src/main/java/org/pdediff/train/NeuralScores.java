package org.pdediff.train;

import java.nio.file.Path;
import java.util.List;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.score.ScoreKind;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * The {@code model:PATH} score kind: every command that takes {@code --score} accepts a trained checkpoint. It reaches
 * {@link org.pdediff.score.Scores} as the {@link ScoreKind} service {@link Kind} (META-INF/services), with no start-up
 * call.
 */
public final class NeuralScores {
    private NeuralScores() {
    }

    /** The {@code model} score kind (a {@link java.util.ServiceLoader} provider). */
    public static final class Kind implements ScoreKind {
        @Override
        public List<String> names() {
            return List.of("model");
        }

        @Override
        public ScoreModel create(String argument, DataSet data, Sde sde) {
            return load(argument, data, sde);
        }
    }

    /**
     * Loads a checkpoint as a score for a data set and SDE: refuses a dimension that differs from the data's, and an
     * SDE other than the one the model was trained for ({@code sde} may be null: then the model's own SDE is used).
     */
    public static NeuralScore load(String path, DataSet data, Sde sde) {
        if (path == null || path.isBlank()) {
            throw new InvalidInputException("--score model:PATH needs a path to a model file");
        }
        Checkpoint c = Checkpoint.read(Path.of(path.strip()));
        if (data != null && data.dim() != c.architecture().dim()) {
            throw new InvalidInputException("model " + path + " has dimension " + c.architecture().dim() + ", data set "
                    + data.name() + " has dimension " + data.dim());
        }
        if (sde != null && !sde.spec().equals(c.sde().spec())) {
            throw new InvalidInputException("model " + path + " was trained for SDE " + c.sdeSpec() + ", not " + sde.spec()
                    + " (pass --sde " + c.sdeSpec() + ")");
        }
        return NeuralScore.of(c);
    }
}
