package org.pdediff.train;

import java.nio.file.Path;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;

/**
 * Registers the {@code model:PATH} score kind with {@link Scores}, so that every command that takes {@code --score}
 * accepts a trained checkpoint. Call {@link #install()} once at start-up (idempotent).
 */
public final class NeuralScores {
    private static volatile boolean installed;

    private NeuralScores() {
    }

    /** Registers {@code model} with {@link Scores#register}. */
    public static void install() {
        if (!installed) {
            Scores.register("model", NeuralScores::load);
            installed = true;
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
