package org.pdediff.pde;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.score.ScoreModel;
import org.pdediff.sde.Sde;

/**
 * The per-time summary of a grid solution, as an ordered map of JSON-ready numbers (non-finite values become null):
 * {@code t, mass, mass_error, min, max, entropy, boundary_mass}; against the closed-form law when one is given:
 * {@code l1_error, l2_error, linf_error, kl_to_exact} (KL(numeric ‖ exact), both normalised on the box),
 * {@code mass_outside_exact}; the Li–Yau margin of the grid density {@code liyau_min} (M14, on cells with
 * p ≥ 10⁻⁶ max p); and for a score model: {@code liyau_min_score} and the score-FP residual norms
 * {@code residual_l1, residual_l2, residual_linf, residual_weighted_l2} (M5; weighted by the exact law when given,
 * else by the numeric density).
 */
public final class GridSummary {
    /** Relative density cut below which the grid Li–Yau margin is not evaluated. */
    public static final double LIYAU_CUT = 1e-6;

    private GridSummary() {
    }

    /**
     * @param numeric     the grid solution
     * @param initialMass the mass at the start of the solve (for {@code mass_error})
     * @param exact       the closed-form law at the same time, or null
     * @param sde         the forward SDE
     * @param score       a score model for the residual and the model Li–Yau margin, or null
     */
    public static Map<String, Object> of(GridDensity numeric, double initialMass, MixtureLaw exact, Sde sde, ScoreModel score) {
        Map<String, Object> m = new LinkedHashMap<>();
        Grid grid = numeric.grid();
        double t = numeric.t();
        m.put("t", t);
        double mass = numeric.mass();
        m.put("mass", mass);
        m.put("mass_error", Math.abs(mass - initialMass) / initialMass);
        m.put("min", numeric.min());
        m.put("max", numeric.max());
        m.put("entropy", numeric.entropy());
        m.put("boundary_mass", ForwardFokkerPlanck.boundaryMass(grid, numeric.values()));
        GridDensity ref = null;
        if (exact != null) {
            ref = exact.cellAverages(grid, t);
            m.put("l1_error", numeric.l1Distance(ref));
            m.put("l2_error", numeric.l2Distance(ref));
            m.put("linf_error", numeric.linfDistance(ref));
            m.put("kl_to_exact", numeric.mass() > 0 && ref.mass() > 0 ? clampNonNegative(numeric) ? numeric.normalised().kl(ref.normalised()) : Double.NaN : Double.NaN);
            m.put("mass_outside_exact", Math.max(0, 1 - ref.mass()));
        }
        m.put("liyau_min", GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(numeric, sde, LIYAU_CUT)));
        if (score != null) {
            m.put("liyau_min_score", GridDiagnostics.minFinite(GridDiagnostics.liYauMargin(score, grid, t)));
            GridDiagnostics.Residual r = GridDiagnostics.residual(score, grid, t, ref != null ? ref : numeric);
            m.put("residual_l1", r.l1());
            m.put("residual_l2", r.l2());
            m.put("residual_linf", r.linf());
            m.put("residual_weighted_l2", r.weighted());
        }
        m.replaceAll((k, v) -> v instanceof Double x && !Double.isFinite(x) ? null : v);
        return m;
    }

    private static boolean clampNonNegative(GridDensity p) {
        return p.min() >= 0;
    }
}
