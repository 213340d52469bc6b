package org.pdediff.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import picocli.CommandLine.Option;

/**
 * Options shared by several commands, each defined once (picocli mixins: {@code @Mixin SharedOptions.Seed seed;}).
 * The option names are part of the command-line contract.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** {@code --seed}, {@code --out DIR} and {@code --json}: the options of a command that writes one output folder. */
    static final class FolderRun {
        @picocli.CommandLine.Mixin
        Seed seed;

        @picocli.CommandLine.Mixin
        OutDir out;

        @picocli.CommandLine.Mixin
        JsonOutput json;
    }

    /** {@code --seed}: the seed of every random stream (results depend on it, not on batch size or threads). */
    static final class Seed {
        @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "0", description = "Seed of every random stream.")
        long value;
    }

    /** {@code --json}: the command's result as one JSON object on stdout. */
    static final class JsonOutput {
        @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
        boolean value;
    }

    /** {@code --out DIR}: a required output folder, written whole or not at all (core.OutputSet). */
    static final class OutDir {
        @Option(names = "--out", paramLabel = "<out>", required = true, description = "Output folder.")
        Path value;
    }

    /**
     * {@code --data SPEC} with the command's own default, given when the mixin is declared:
     * {@code @Mixin SharedOptions.Data data = new SharedOptions.Data("moons");} (picocli keeps an initialised mixin
     * and its description shows the field's value as the default).
     */
    static final class Data {
        @Option(names = "--data", paramLabel = "<data>", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
                description = "Data set spec NAME[:key=value,...] (" + DataSets.NAMES + "). Default: ${DEFAULT-VALUE}.")
        String value;

        Data(String dflt) {
            value = dflt;
        }
    }

    /** {@code --data SPEC}, required: the data set of the score (the training data of a model). */
    static final class RequiredData {
        @Option(names = "--data", paramLabel = "<data>", required = true,
                description = "Data set spec NAME[:key=value,...] (" + DataSets.NAMES + "): the score's data set (the training data of a model).")
        String value;
    }

    /** {@code --sde SPEC}, default vp. */
    static final class SdeOption {
        @Option(names = "--sde", paramLabel = "<sde>", defaultValue = "vp", description = "Forward SDE spec (" + Sdes.NAMES + ").")
        String value;
    }

    /** {@code --sde SPEC} beside {@code --score}: default vp, or the model's own SDE for {@code --score model:PATH}. */
    static final class ModelSde {
        @Option(names = "--sde", paramLabel = "<sde>",
                description = "Forward SDE spec (" + Sdes.NAMES + "). Default: vp, or the model's own SDE for --score model:PATH.")
        String value;

        /** The SDE asked for: --sde, else null for a model score (its own SDE), else vp. */
        Sde requested(String score) {
            return value != null ? Sdes.parse(value) : isModel(score) ? null : Sdes.parse("vp");
        }
    }

    /** Whether a score spec names a model file ({@code model:PATH}). */
    static boolean isModel(String score) {
        return score.strip().toLowerCase(Locale.ROOT).startsWith("model:");
    }

    /** {@code --score SPEC}, default exact. */
    static final class Score {
        @Option(names = "--score", paramLabel = "<score>", defaultValue = "exact",
                description = "Score: exact (finite sample, M10), gmm (data law, M11), model:PATH.")
        String value;
    }

    /** {@code --score SPEC}, required. */
    static final class RequiredScore {
        @Option(names = "--score", paramLabel = "<score>", required = true, description = "Score spec: model:PATH, exact or gmm.")
        String value;
    }
}
