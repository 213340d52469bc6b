package org.pdediff.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pdediff.core.OutputSet;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RunRecord;
import org.pdediff.core.Sizes;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.pde.Grids;
import org.pdediff.pde.ForwardFokkerPlanck;
import org.pdediff.core.Grid;
import org.pdediff.core.GridDensity;
import org.pdediff.pde.GridSummary;
import org.pdediff.pde.MixtureLaw;
import org.pdediff.pde.ReverseFokkerPlanck;
import org.pdediff.pde.TimeScheme;
import org.pdediff.report.HeatMapPlot;
import org.pdediff.report.LinePlot;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff pde}: the Fokker–Planck equation of a forward SDE (M3), or of the reverse λ-family of a score (M9),
 * solved on a 1-D or 2-D grid; writes densities (CSV), pictures and a per-time summary against the closed-form law.
 */
@Command(name = "pde", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Solve the forward Fokker-Planck equation (or, with --reverse, the law of the reverse ODE/SDE of a"
                + " score) on a 1-D or 2-D grid (data of d = 1 or 2); write density_t*.csv, heatmap_t*.png (2-D) or densities.png (1-D), summary.json"
                + " and run.json.")
public final class PdeCommand implements Callable<Integer> {
    @Mixin
    SharedOptions.OutDir out;

    @Mixin
    SharedOptions.JsonOutput json;

    @Mixin
    SharedOptions.Data data = new SharedOptions.Data("gmm");

    @Mixin
    SharedOptions.SdeOption sde;

    @Option(names = "--grid", defaultValue = "256", description = "Cells per axis.")
    int grid;

    @Option(names = "--box", split = ",", description = "Box lo,hi (all axes) or lo1,hi1,lo2,hi2; default: chosen from the data, the SDE and the prior.")
    double[] box;

    @Option(names = "--times", split = ",", defaultValue = "1,0.5,0.1,0.01", description = "Forward times to output (any order).")
    double[] times;

    @Option(names = "--t0", description = "Start time of the forward solve (the exact law there is the initial data); default min(1e-3*T, half the smallest output time).")
    Double t0;

    @Option(names = "--steps", defaultValue = "400", description = "Time steps (about) from the start to the last output.")
    int steps;

    @Option(names = "--scheme", defaultValue = "cn", description = "Time scheme: cn (Crank-Nicolson, Rannacher start) or be (backward Euler).")
    String scheme;

    @Option(names = "--reverse", description = "Solve the reverse dynamics instead: ode (lambda = 0, M7) or sde (lambda = 1, M6). Default: none (the forward equation).")
    String reverse;

    @Option(names = "--lambda", description = "Reverse family parameter lambda >= 0 (M8); overrides --reverse's value. Default: none (from --reverse).")
    Double lambda;

    @Option(names = "--start", defaultValue = "prior", description = "Reverse start density at T: prior or exact (the closed-form p_T).")
    String start;

    @Option(names = "--score", description = "Score model for --reverse and the diagnostics: exact (finite data, M10) or gmm (the data law, M11);"
            + " default gmm when the law is known, else exact.")
    String score;

    @Option(names = "--diagnostics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compute the score-FP residual and the Li-Yau margin of the score model per time (costs a few score evaluations on the grid).")
    boolean diagnostics;

    @Option(names = "--plots", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Write PNG pictures.")
    boolean plots;



    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * What a run solves, checked: the data, the SDE, the scheme, λ (null: forward), the output times (increasing for
     * the forward equation, decreasing below T for the reverse one) and the start time.
     */
    private record Plan(DataSet ds, Sde s, TimeScheme ts, Double lam, double[] times, double start0) {
        boolean reverse() {
            return lam != null;
        }
    }

    /** The solution: the start density, one density per output time, the steps taken and the wall time. */
    private record Solved(GridDensity initial, List<GridDensity> densities, int steps, double seconds) {
    }

    @Override
    public Integer call() {
        RunRecord run = new RunRecord("pde");
        Plan plan = plan();
        int d = plan.ds().dim();
        // the solver holds about 16 arrays of the grid's cells (density, tridiagonal coefficients, scores at the
        // centres, the stepper's work space) plus one density per output time
        long cells = Sizes.product("--grid " + grid, d == 1 ? 1 : grid, grid);
        Sizes.requireHeap("a " + grid + (d == 2 ? "x" + grid : "") + " grid with " + plan.times().length + " output times",
                Sizes.product("--grid", cells, 8L * (16 + plan.times().length)));
        try (OutputSet set = OutputSet.open(out.value, Inputs.of(data.value))) {
            Path dir = set.dir();
            DataSet ds = plan.ds();
            Sde s = plan.s();
            double[] all = Arrays.copyOf(plan.times(), plan.times().length + 1);
            all[plan.times().length] = plan.start0();
            Grid g = box == null ? Grids.covering(ds.points(), s, all, plan.reverse(), grid) : boxGrid(d);
            ScoreModel sc = null;
            String scoreSpec = score != null ? score : (ds.law().isPresent() ? "gmm" : "exact");
            if (plan.reverse() || diagnostics || score != null) {
                sc = Scores.create(scoreSpec, ds, s); // a given --score is checked even when unused
            }
            Solved solved = solve(plan, g, sc, run);
            List<GridSummary> rows = writeDensities(plan, g, sc, solved, dir);
            Summary summary = Summary.of(plan, start, g, sc, solved, rows);
            Json.write(dir.resolve("summary.json"), summary);
            run.param("data", ds.spec()).param("sde", s.spec()).param("grid", g.describe()).param("times", plan.times())
                    .param("steps", steps).param("scheme", plan.ts().name()).param("reverse", plan.reverse() ? plan.lam() : null)
                    .param("score", sc == null ? null : scoreSpec).param("start", plan.reverse() ? start : null);
            run.put("data_hash", ds.hash());
            run.writeTo(dir);
            set.commit();
            print(summary, rows);
            return 0;
        }
    }

    /** Parses and checks the options. */
    private Plan plan() {
        DataSet ds = DataSets.parse(data.value);
        Sde s = Sdes.parse(sde.value);
        int d = ds.dim();
        if (d > 2) {
            throw new InvalidInputException("pde works in d = 1 or 2; data set '" + ds.name() + "' has d = " + d
                    + " (use gaussian:d=1, a 2-D set, or file: data)");
        }
        if (grid < 8 || grid > 4096) {
            throw new InvalidInputException("--grid must be in [8, 4096], got " + grid);
        }
        if (steps < 1) {
            throw new InvalidInputException("--steps must be >= 1");
        }
        TimeScheme ts = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "cn", "crank-nicolson" -> TimeScheme.CRANK_NICOLSON;
            case "be", "backward-euler" -> TimeScheme.BACKWARD_EULER;
            default -> throw new InvalidInputException("--scheme must be cn or be, got '" + scheme + "'");
        };
        Double lam = lambda;
        if (reverse != null) {
            double fromName = switch (reverse.toLowerCase(Locale.ROOT)) {
                case "ode" -> 0;
                case "sde" -> 1;
                default -> throw new InvalidInputException("--reverse must be ode or sde, got '" + reverse + "'");
            };
            lam = lam == null ? fromName : lam;
        }
        boolean isReverse = lam != null;
        double[] ts2 = outputTimes(s, isReverse);
        double start0 = isReverse ? s.T() : (t0 != null ? t0 : Math.min(1e-3 * s.T(), 0.5 * ts2[0]));
        if (!isReverse && !(start0 > 0 && start0 < ts2[0])) {
            throw new InvalidInputException("--t0 must be in (0, smallest output time " + ts2[0] + "), got " + start0);
        }
        if (isReverse && !start.equalsIgnoreCase("prior") && !start.equalsIgnoreCase("exact")) {
            throw new InvalidInputException("--start must be prior or exact, got '" + start + "'");
        }
        return new Plan(ds, s, ts, lam, ts2, start0);
    }

    /** The output times, checked, distinct and sorted: increasing (forward), or decreasing below T (reverse). */
    private double[] outputTimes(Sde s, boolean isReverse) {
        double[] ts2 = times.clone();
        for (double t : ts2) {
            if (!(t > 0) || !(t <= s.T() + 1e-12)) {
                throw new InvalidInputException("--times must lie in (0, T = " + s.T() + "], got " + t);
            }
        }
        Arrays.sort(ts2);
        ts2 = Arrays.stream(ts2).distinct().toArray();
        if (!isReverse) {
            return ts2;
        }
        // reverse: from T down; outputs in decreasing order, T itself excluded
        List<Double> r = new ArrayList<>();
        for (int i = ts2.length - 1; i >= 0; i--) {
            if (ts2[i] < s.T()) {
                r.add(ts2[i]);
            }
        }
        if (r.isEmpty()) {
            throw new InvalidInputException("--reverse needs an output time below T = " + s.T());
        }
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The reference law at t: the data law when known, else the finite sample itself (M10). */
    private static MixtureLaw exact(Plan plan, double t) {
        return plan.ds().law().isPresent() ? MixtureLaw.atTime(plan.ds().law().get(), plan.s(), t)
                : MixtureLaw.finiteSample(plan.ds().points(), plan.s(), t);
    }

    private Solved solve(Plan plan, Grid g, ScoreModel sc, RunRecord run) {
        Sde s = plan.s();
        if (plan.reverse()) {
            GridDensity initial = start.equalsIgnoreCase("prior") ? ReverseFokkerPlanck.prior(s, g)
                    : start.equalsIgnoreCase("exact") ? exact(plan, s.T()).cellAverages(g, s.T())
                    : fail("--start must be prior or exact, got '" + start + "'");
            long solveStart = System.nanoTime();
            ReverseFokkerPlanck.Solution sol = ReverseFokkerPlanck.builder(sc).lambda(plan.lam()).steps(steps).scheme(plan.ts()).build()
                    .solve(initial, plan.times());
            run.put("score_evaluations", sol.scoreEvaluations());
            return new Solved(initial, sol.densities(), sol.steps(), (System.nanoTime() - solveStart) * 1e-9);
        }
        GridDensity initial = exact(plan, plan.start0()).cellAverages(g, plan.start0());
        long solveStart = System.nanoTime();
        ForwardFokkerPlanck.Solution sol = ForwardFokkerPlanck.builder(s).steps(steps).scheme(plan.ts()).build().solve(initial, plan.times());
        return new Solved(initial, sol.densities(), sol.steps(), (System.nanoTime() - solveStart) * 1e-9);
    }

    /** Writes each density (CSV and pictures) and returns the per-time summary rows. */
    private List<GridSummary> writeDensities(Plan plan, Grid g, ScoreModel sc, Solved solved, Path dir) {
        double m0 = solved.initial().mass();
        Double lam = plan.lam();
        String sdeSpec = plan.s().spec();
        List<GridSummary> rows = new ArrayList<>();
        List<LinePlot.Curve> curves = new ArrayList<>();
        for (GridDensity p : solved.densities()) {
            String tag = tag(p.t());
            MixtureLaw ex = exact(plan, p.t());
            rows.add(GridSummary.of(p, m0, ex, plan.s(), diagnostics ? sc : null));
            p.writeCsv(dir.resolve("density_t" + tag + ".csv"));
            if (plots && plan.ds().dim() == 2) {
                HeatMapPlot.write(dir.resolve("heatmap_t" + tag + ".png"), p,
                        (plan.reverse() ? "reverse " + (lam == 0 ? "ODE" : lam == 1 ? "SDE" : "lambda=" + lam) : "forward FP") + ", " + sdeSpec + ", t=" + tag);
            } else if (plots) {
                curves.add(new LinePlot.Curve("t=" + tag, p));
                curves.add(new LinePlot.Curve("exact t=" + tag, ex.cellAverages(g, p.t())));
            }
        }
        if (plots && plan.ds().dim() == 1) {
            LinePlot.write(dir.resolve("densities.png"), (plan.reverse() ? "reverse, lambda=" + lam : "forward FP") + ", " + sdeSpec, curves);
        }
        return rows;
    }

    /**
     * summary.json (and the --json output): the mode, {@code lambda} and {@code start} (reverse) or {@code t0}
     * (forward), the problem, the grid, the scheme, the steps taken, the wall time of the solve and one
     * {@link GridSummary} per output time.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Summary(String mode, @JsonInclude(JsonInclude.Include.NON_NULL) Double lambda,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String start, @JsonInclude(JsonInclude.Include.NON_NULL) Double t0,
                   String data, String sde, String score, String reference, Grid grid, String scheme, int steps, double solveSeconds,
                   List<GridSummary> times) {
        static Summary of(Plan plan, String start, Grid g, ScoreModel sc, Solved solved, List<GridSummary> rows) {
            boolean rev = plan.reverse();
            return new Summary(rev ? "reverse" : "forward", rev ? plan.lam() : null, rev ? start.toLowerCase(Locale.ROOT) : null,
                    rev ? null : plan.start0(), plan.ds().spec(), plan.s().spec(), sc == null ? null : sc.describe(),
                    plan.ds().law().isPresent() ? "data law (M11)" : "finite sample (M10)", g,
                    plan.ts().name().toLowerCase(Locale.ROOT), solved.steps(), solved.seconds(), rows);
        }
    }

    private void print(Summary summary, List<GridSummary> rows) {
        var w = spec.commandLine().getOut();
        if (json.value) {
            w.println(Json.pretty(summary));
        } else {
            w.printf(Locale.ROOT, "%-10s %-12s %-10s %-10s %-10s %-10s%n", "t", "mass", "min", "l1_error", "liyau_min", "residual_l2");
            for (GridSummary r : rows) {
                w.printf(Locale.ROOT, "%-10s %-12s %-10s %-10s %-10s %-10s%n", fmt(r.t()), fmt(r.mass()), fmt(r.min()),
                        fmt(r.exact() == null ? null : r.exact().l1Error()), fmt(r.liyauMin()),
                        fmt(r.score() == null ? null : r.score().residualL2()));
            }
            w.println("wrote " + out.value.toAbsolutePath());
        }
        w.flush();
    }

    private static <T> T fail(String message) {
        throw new InvalidInputException(message);
    }

    private Grid boxGrid(int d) {
        if (box.length == 2) {
            return d == 1 ? Grid.of1d(box[0], box[1], grid) : Grid.of2d(box[0], box[1], grid);
        }
        if (box.length == 4 && d == 2) {
            return Grid.of2d(box[0], box[1], grid, box[2], box[3], grid);
        }
        throw new InvalidInputException("--box needs lo,hi" + (d == 2 ? " or lo1,hi1,lo2,hi2" : "") + ", got " + box.length + " numbers");
    }

    static String tag(double t) {
        String s = String.format(Locale.ROOT, "%.6g", t);
        if (s.contains("e")) {
            return s;
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
            s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        return s;
    }

    private static String fmt(Object o) {
        return o instanceof Double x ? String.format(Locale.ROOT, "%.4g", x) : String.valueOf(o);
    }
}
