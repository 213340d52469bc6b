/**
 * Metrics and diagnostics on sample sets (MATH.md §8), with a clean Java API and the {@code pdediff metrics} command
 * on top.
 *
 * <ul>
 * <li>{@link org.pdediff.metrics.Wasserstein}: exact W2/W1 between empirical measures — equal sizes by a certified
 *     ε-scaling auction ({@link org.pdediff.metrics.Auction}, O(n·d) memory) or OR-Tools {@code LinearSumAssignment};
 *     unequal sizes and integer or real weights (histograms: {@link org.pdediff.metrics.GridHistogram}) by OR-Tools
 *     {@code MinCostFlow} with exactly balanced integer supplies; 1-D by quantiles; Gaussians by Bures–W2 (M15); a
 *     sliced fallback, said so, for problems too large. Every result carries an error bound
 *     ({@link org.pdediff.metrics.TransportResult}).</li>
 * <li>{@link org.pdediff.metrics.SlicedWasserstein}: sliced W2 with seeded, recorded directions.</li>
 * <li>{@link org.pdediff.metrics.Sinkhorn}: debiased log-domain Sinkhorn divergence with ε-scaling.</li>
 * <li>{@link org.pdediff.metrics.Mmd}: unbiased MMD² (Gaussian kernels, median heuristic) and energy distance.</li>
 * <li>{@link org.pdediff.metrics.Memorization}: nearest/second-nearest training points by a k-d tree.</li>
 * <li>{@link org.pdediff.metrics.SupportDistance}: distance to a support known exactly.</li>
 * </ul>
 *
 * <p>Java use, e.g. for P3-style histogram W2:
 * <pre>{@code
 * TransportResult w = Wasserstein.histograms(GridHistogram.of(samples, 64, 3.5), GridHistogram.of(data, 64, 3.5),
 *         GroundCost.SQUARED_EUCLIDEAN);   // w.value() = W2², w.errorBound()
 * Memorization.Result m = Memorization.compute(samples, train);   // m.fractionWithin(), m.hitCounts()
 * }</pre>
 */
package org.pdediff.metrics;
