/**
 * Fokker–Planck PDE solvers on 1-D and 2-D grids (MATH.md §3): the densities that the SDEs and ODEs of a diffusion
 * model produce, computed as solutions of their PDEs, side by side with particles.
 *
 * <ul>
 * <li>{@link org.pdediff.pde.Grid}, {@link org.pdediff.core.GridDensity} (cell averages; L^p norms, KL, entropy),
 * {@link org.pdediff.pde.MixtureLaw} (closed-form p_t of mixture or finite data, M10/M11, exact cell averages).</li>
 * <li>{@link org.pdediff.pde.ForwardFokkerPlanck}: the forward FP equation M3 of any catalogue SDE (Scharfetter–Gummel
 * finite volumes, split Crank–Nicolson, mass conserved to rounding).</li>
 * <li>{@link org.pdediff.pde.ReverseFokkerPlanck}: the law transported by the reverse λ-family M8 of any score model,
 * M9 (λ = 0: positivity-preserving MUSCL transport; λ &gt; 0: implicit split finite volumes).</li>
 * <li>{@link org.pdediff.pde.GridCalculus} (grid score ∇ log p, gradients, divergences),
 * {@link org.pdediff.pde.GridDiagnostics} (score-FP residual M5 norms on a grid, Li–Yau margin M14 of a grid density; the pointwise formulas are {@link org.pdediff.score.ScoreDiagnostics}),
 * {@link org.pdediff.pde.GridMetrics} (mass outside the box, C4 L^p growth), {@link org.pdediff.pde.GridSummary}
 * (the per-time summary of {@code pdediff pde}), {@link org.pdediff.pde.Particles} (histograms, KDE, L¹, KL between
 * samples and a grid density).</li>
 * </ul>
 *
 * <p>Typical use: the ODE–SDE gap of a score s on a 2-D grid:
 * <pre>{@code
 * Grid grid = Grids.covering(data.points(), sde, new double[] {eps, sde.T()}, true, 128);
 * GridDensity prior = ReverseFokkerPlanck.prior(sde, grid);
 * GridDensity ode = ReverseFokkerPlanck.builder(score).lambda(0).build().solve(prior, eps).last();
 * GridDensity sdeLaw = ReverseFokkerPlanck.builder(score).lambda(1).build().solve(prior, eps).last();
 * double gapL1 = ode.l1Distance(sdeLaw);
 * double kl = ode.normalised().kl(sdeLaw.normalised());
 * }</pre>
 */
package org.pdediff.pde;
