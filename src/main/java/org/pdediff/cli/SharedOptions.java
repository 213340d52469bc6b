package org.pdediff.cli;

import java.nio.file.Path;
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
}
