package org.pdediff.sample;

import java.util.List;
import org.pdediff.core.Batch;

/**
 * What a sampler returns.
 *
 * @param samples    the particles at the stopping time ε (after the final denoising step if it was asked for)
 * @param nfe        score evaluations per particle (function evaluations)
 * @param steps      accepted steps
 * @param rejected   rejected steps (adaptive solvers; 0 otherwise)
 * @param denoised   whether the final Tweedie step was applied
 * @param trajectory snapshots at the recorded times, in the order reached
 */
public record SampleResult(Batch samples, long nfe, int steps, int rejected, boolean denoised, List<Snapshot> trajectory) {
}
