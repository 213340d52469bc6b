package org.pdediff.sample;

import org.pdediff.core.Batch;

/** The particles at one recorded time of a trajectory. */
public record Snapshot(double t, Batch x) {
}
