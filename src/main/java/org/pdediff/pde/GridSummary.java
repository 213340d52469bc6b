package org.pdediff.pde;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * The per-time summary of a grid solution, JSON-ready (snake_case keys in component order; non-finite values are null):
 * {@code t, mass, mass_error, min, max, entropy, boundary_mass}; against the closed-form law when one is given:
 * {@code l1_error, l2_error, linf_error, kl_to_exact} (KL(numeric ‖ exact), both normalised on the box),
 * {@code mass_outside_exact}; the Li–Yau margin of the grid density {@code liyau_min} (M14, on cells with
 * p ≥ 10⁻⁶ max p); and for a score model: {@code liyau_min_score} and the score-FP residual norms
 * {@code residual_l1, residual_l2, residual_linf, residual_weighted_l2} (M5; weighted by the exact law when given,
 * else by the numeric density).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GridSummary(Double t, Double mass, Double massError, Double min, Double max, Double entropy, Double boundaryMass,
                          @JsonUnwrapped AgainstExact exact, Double liyauMin, @JsonUnwrapped ScoreResidual score) {
    /** Relative density cut below which the grid Li–Yau margin is not evaluated. */
    public static final double LIYAU_CUT = 1e-6;

    /** The distances to the closed-form law (null values: not finite). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AgainstExact(Double l1Error, Double l2Error, Double linfError, Double klToExact, Double massOutsideExact) {
    }

    /** The score model's Li–Yau margin and score-FP residual norms (null values: not finite). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScoreResidual(Double liyauMinScore, Double residualL1, Double residualL2, Double residualLinf,
                                Double residualWeightedL2) {
    }

    /**
     * @param numeric     the grid solution
     * @param initialMass the mass at the start of the solve (for {@code mass_error})
     * @param exact       the closed-form law at the same time, or null
     * @param sde         the forward SDE
     * @param score       a score model for the residual and the model Li–Yau margin, or null
     */
    public static GridSummary of(GridDensity numeric, double initialMass, MixtureLaw exact, Sde sde, ScoreModel score) {
        Grid grid = numeric.grid();
        double t = numeric.t();
        double mass = numeric.mass();
        GridDensity ref = null;
        AgainstExact against = null;
        if (exact != null) {
            ref = exact.cellAverages(grid, t);
            against = new AgainstExact(finite(numeric.l1Distance(ref)), finite(numeric.l2Distance(ref)),
                    finite(numeric.linfDistance(ref)), finite(numeric.mass() > 0 && ref.mass() > 0 ? clampNonNegative(numeric)
                            ? numeric.normalised().kl(ref.normalised()) : Double.NaN : Double.NaN),
                    finite(Math.max(0, 1 - ref.mass())));
        }
        Double liyau = finite(GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(numeric, sde, LIYAU_CUT)));
        ScoreResidual residual = null;
        if (score != null) {
            double liyauScore = GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(score, grid, t));
            GridDiagnostics.Residual r = GridDiagnostics.residual(score, grid, t, ref != null ? ref : numeric);
            residual = new ScoreResidual(finite(liyauScore), finite(r.l1()), finite(r.l2()), finite(r.linf()), finite(r.weighted()));
        }
        return new GridSummary(finite(t), finite(mass), finite(Math.abs(mass - initialMass) / initialMass), finite(numeric.min()),
                finite(numeric.max()), finite(numeric.entropy()), finite(ForwardFokkerPlanck.boundaryMass(grid, numeric.values())),
                against, liyau, residual);
    }

    /** The value, or null when it is not finite (JSON has no NaN or infinity). */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static boolean clampNonNegative(GridDensity p) {
        return p.min() >= 0;
    }
}
