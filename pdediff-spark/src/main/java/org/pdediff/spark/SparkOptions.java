package org.pdediff.spark;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options both Spark entry points take: {@code --out --master --json --debug}. */
final class SparkOptions {
    @Option(names = "--out", required = true, description = "Output folder (as for the local command).")
    Path out;

    @Option(names = "--master", description = "Spark master URL (default: the one spark-submit sets, else local[*]).")
    String master;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
    boolean json;

    @Option(names = "--debug", description = "On an unexpected error (a bug), print the stack trace.")
    boolean debug;
}
