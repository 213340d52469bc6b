package org.pdediff.experiment;

import java.nio.file.Path;
import org.pdediff.core.ProgressListener;

/**
 * Where and how an experiment runs.
 *
 * @param out      output folder (exists and is writable)
 * @param quick    the reduced size that finishes in under a minute on 2 cores
 * @param seed     the seed of every random stream
 * @param listener progress
 */
public record ExperimentContext(Path out, boolean quick, long seed, ProgressListener listener) {
}
