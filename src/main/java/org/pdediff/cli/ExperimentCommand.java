package org.pdediff.cli;

import org.pdediff.core.InvalidInputException;
import java.util.concurrent.Callable;
import org.pdediff.core.Grid;
import org.pdediff.experiment.ConcentrationExperiment;
import org.pdediff.experiment.ImageNetwork;
import org.pdediff.experiment.LiYauExperiment;
import org.pdediff.experiment.LpStabilityExperiment;
import org.pdediff.experiment.MemorisationExperiment;
import org.pdediff.experiment.OdeSdeGapExperiment;
import org.pdediff.experiment.OneDatumExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pdediff experiment NAME}: the papers' claims (MATH.md §5) as reproducible experiments with reports. Every default
 * comes from the experiment's {@code Params.defaults(quick)} through the bundle {@link ExperimentDefaults}: written once.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, resourceBundle = "org.pdediff.cli.ExperimentDefaults",
        description = "Reproduce a claim of the source papers; writes report.html, report.md, results.json, run.json and PNG plots.",
        subcommands = {ExperimentCommand.Memorisation.class, ExperimentCommand.OneDatum.class, ExperimentCommand.Concentration.class,
                ExperimentCommand.LpStability.class, ExperimentCommand.LiYau.class, ExperimentCommand.OdeSdeGap.class})
public final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an experiment: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** C2: the explicit one-datum solution M13 and the DDPM-posterior identity. */
    @Command(name = "one-datum", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C2: explicit one-datum law (M13) vs Euler-Maruyama and DDPM from an arbitrary start law.")
    static final class OneDatum implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--T", defaultValue = "${bundle:default.one-datum.T}", description = "Horizon of ou (θ = 1, g = √2).")
        double T;

        @Option(names = "--x0", defaultValue = "${bundle:default.one-datum.x0}", description = "The datum.")
        double x0;

        @Option(names = "--m0", defaultValue = "${bundle:default.one-datum.m0}", description = "Mean of the start law at T.")
        double m0;

        @Option(names = "--v0", defaultValue = "${bundle:default.one-datum.v0}", description = "Variance of the start law at T.")
        double v0;

        @Option(names = "--n", description = "Particles (default ${bundle:default.one-datum.n}; ${bundle:default.one-datum.n.quick} with --quick).")
        Integer n;

        @Option(names = "--steps", description = "Euler-Maruyama steps (default ${bundle:default.one-datum.steps}; ${bundle:default.one-datum.steps.quick} with --quick).")
        Integer steps;

        @Option(names = "--ddpm-steps", defaultValue = "${bundle:default.one-datum.ddpmSteps}", description = "DDPM steps (its transition is exact).")
        int ddpmSteps;

        @Option(names = "--eps", defaultValue = "${bundle:default.one-datum.eps}", description = "Stopping time.")
        double eps;

        @Override
        public Integer call() {
            OneDatumExperiment.Params d = OneDatumExperiment.Params.defaults(common.quick);
            return common.run(new OneDatumExperiment(), new OneDatumExperiment.Params(T, x0, m0, v0,
                    ExperimentOptions.or(n, d.n()), ExperimentOptions.or(steps, d.steps()), ddpmSteps, eps));
        }
    }

    /** C1: memorisation by the exact score of N random points and a digits subset. */
    @Command(name = "memorisation", aliases = "memorization", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C1: exact-score SDE and ODE samples sit at |N(0, (σ/α)²I)| from a training point, hit uniformly.")
    static final class Memorisation implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--sizes", split = ",", description = "Numbers N of random points in [-1,1]² (default ${bundle:default.memorisation.sizes}; ${bundle:default.memorisation.sizes.quick} with --quick).")
        int[] sizes;

        @Option(names = "--samples-per-point", description = "Samples per training point (default ${bundle:default.memorisation.samplesPerPoint}; ${bundle:default.memorisation.samplesPerPoint.quick} with --quick).")
        Integer perPoint;

        @Option(names = "--eps", split = ",", description = "Stopping times swept (default ${bundle:default.memorisation.eps}; ${bundle:default.memorisation.eps.quick} with --quick).")
        double[] eps;

        @Option(names = "--steps", description = "Sampler steps, geometric grid (default ${bundle:default.memorisation.steps}; ${bundle:default.memorisation.steps.quick} with --quick).")
        Integer steps;

        @Option(names = "--digits", description = "Digits subset size, 0 to skip (default ${bundle:default.memorisation.digits}; ${bundle:default.memorisation.digits.quick} with --quick).")
        Integer digits;

        @Option(names = "--data", description = "Image mode on a data set of square images, e.g. fashion-mnist (replaces the point sets and digits; default: off, the point sets and digits).")
        String data;

        @Option(names = "--images", description = "Image mode: training images N (default all; 2000 with --quick).")
        Integer images;

        @Option(names = "--samples", description = "Image mode: samples per sampler (default 64; 16 with --quick).")
        Integer samples;

        @Option(names = "--network", description = "Image mode: also sample this trained score (e.g. model:PATH) and report it (default: none).")
        String network;

        @Option(names = "--train-network", description = "Image mode: train an MLP on the training images first (the same as"
                + " --network train; --network train:steps=N,width=W,depth=D,batch=B,lr=L sets its knobs), sample it beside the"
                + " exact score and write it to OUT/network.pdm.")
        boolean trainNetwork;

        @Override
        public Integer call() {
            if (trainNetwork && network != null) {
                throw new InvalidInputException("--train-network trains its own network: give either it or --network, not both");
            }
            if (trainNetwork && data == null) {
                throw new InvalidInputException("--train-network needs the image mode (--data, e.g. fashion-mnist)");
            }
            if (data != null) {
                MemorisationExperiment.Params d = MemorisationExperiment.Params.images(data, common.quick);
                return common.run(new MemorisationExperiment(), new MemorisationExperiment.Params(d.sizes(), d.samplesPerPoint(),
                        ExperimentOptions.or(eps, d.eps()), ExperimentOptions.or(steps, d.steps()), 0, data,
                        ExperimentOptions.or(images, d.images()), ExperimentOptions.or(samples, d.samples()),
                        trainNetwork && network == null ? ImageNetwork.SPEC : network));
            }
            MemorisationExperiment.Params d = MemorisationExperiment.Params.defaults(common.quick);
            return common.run(new MemorisationExperiment(), new MemorisationExperiment.Params(
                    ExperimentOptions.or(sizes, d.sizes()), ExperimentOptions.or(perPoint, d.samplesPerPoint()),
                    ExperimentOptions.or(eps, d.eps()), ExperimentOptions.or(steps, d.steps()), ExperimentOptions.or(digits, d.digits())));
        }
    }

    /** C5/C6: concentration on the support at rate √t, and the novelty–fidelity trade-off of the stopping time. */
    @Command(name = "concentration", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C5/C6: RMS distance to the manifold against t (slope 1/2, KL bound) and the novelty-fidelity curve.")
    static final class Concentration implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--points", description = "Training points per manifold (default ${bundle:default.concentration.points}; ${bundle:default.concentration.points.quick} with --quick).")
        Integer points;

        @Option(names = "--n", description = "Particles per run (default ${bundle:default.concentration.n}; ${bundle:default.concentration.n.quick} with --quick).")
        Integer n;

        @Option(names = "--T", defaultValue = "${bundle:default.concentration.T}", description = "Heat horizon.")
        double T;

        @Option(names = "--steps", description = "Sampler steps (default ${bundle:default.concentration.steps}; ${bundle:default.concentration.steps.quick} with --quick).")
        Integer steps;

        @Option(names = "--eps-min", description = "Smallest recorded time (default ${bundle:default.concentration.epsMin}; ${bundle:default.concentration.epsMin.quick} with --quick).")
        Double epsMin;

        @Option(names = "--broad", defaultValue = "${bundle:default.concentration.broad}", description = "Std factor of the broad start law.")
        double broad;

        @Option(names = "--tolerance", defaultValue = "${bundle:default.concentration.tolerance}", description = "Fidelity tolerance δ for the recommended ε.")
        double tolerance;

        @Override
        public Integer call() {
            ConcentrationExperiment.Params d = ConcentrationExperiment.Params.defaults(common.quick);
            return common.run(new ConcentrationExperiment(), new ConcentrationExperiment.Params(
                    ExperimentOptions.or(points, d.points()), ExperimentOptions.or(n, d.n()), T, ExperimentOptions.or(steps, d.steps()),
                    ExperimentOptions.or(epsMin, d.epsMin()), broad, tolerance));
        }
    }

    /** C4: L^p growth bound, linear stability under perturbed scores, KL along the exact ODE and SDE (grid solutions of M9). */
    @Command(name = "lp-stability", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C4: L^p growth of exact-score ODE solutions of M9 on heat vs (T/(T-tau))^((d/2)(1-1/p)), "
                    + "differences under perturbed scores s + delta*phi against delta, KL along the ODE and SDE.")
    static final class LpStability implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--points", description = "Training points, random in [-1.5,1.5]^2 (default ${bundle:default.lp-stability.points}; ${bundle:default.lp-stability.points.quick} with --quick).")
        Integer points;

        @Option(names = "--T", defaultValue = "${bundle:default.lp-stability.T}", description = "Heat horizon.")
        double T;

        @Option(names = "--t-end", defaultValue = "${bundle:default.lp-stability.tEnd}", description = "Forward time where the reverse solves stop.")
        double tEnd;

        @Option(names = "--cells", description = "Grid cells per axis (default ${bundle:default.lp-stability.cells}; ${bundle:default.lp-stability.cells.quick} with --quick).")
        Integer cells;

        @Option(names = "--records", description = "Recorded times, even (default ${bundle:default.lp-stability.records}; ${bundle:default.lp-stability.records.quick} with --quick).")
        Integer records;

        @Option(names = "--deltas", split = ",", description = "Perturbation sizes, increasing (default ${bundle:default.lp-stability.deltas}; ${bundle:default.lp-stability.deltas.quick} with --quick).")
        double[] deltas;

        @Override
        public Integer call() {
            LpStabilityExperiment.Params d = LpStabilityExperiment.Params.defaults(common.quick);
            return common.run(new LpStabilityExperiment(), new LpStabilityExperiment.Params(ExperimentOptions.or(points, d.points()),
                    T, tEnd, ExperimentOptions.or(cells, d.cells()), ExperimentOptions.or(records, d.records()),
                    ExperimentOptions.or(deltas, d.deltas())));
        }
    }

    /** C3: the Li–Yau margin of exact scores (grid and samples) and of a trained network. */
    @Command(name = "li-yau", aliases = "liyau", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C3: lambda_min(grad s) + 1/sigma^2 >= 0 for exact scores (= 0 for one datum) on a grid and at samples; "
                    + "violations of a trained network mapped per t.")
    static final class LiYau implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--T", defaultValue = "${bundle:default.li-yau.T}", description = "Heat horizon.")
        double T;

        @Option(names = "--points", description = "Training points from the 4-component mixture (default ${bundle:default.li-yau.points}; ${bundle:default.li-yau.points.quick} with --quick).")
        Integer points;

        @Option(names = "--cells", description = "Grid cells per axis (default ${bundle:default.li-yau.cells}; ${bundle:default.li-yau.cells.quick} with --quick).")
        Integer cells;

        @Option(names = "--samples", description = "Reverse-SDE samples (default ${bundle:default.li-yau.samples}; ${bundle:default.li-yau.samples.quick} with --quick).")
        Integer samples;

        @Option(names = "--steps", description = "Sampler steps (default ${bundle:default.li-yau.steps}; ${bundle:default.li-yau.steps.quick} with --quick).")
        Integer steps;

        @Option(names = "--t-min", defaultValue = "${bundle:default.li-yau.tMin}", description = "Smallest time examined.")
        double tMin;

        @Option(names = "--times", description = "Number of log-spaced times in [t-min, T/2] (default ${bundle:default.li-yau.times}; ${bundle:default.li-yau.times.quick} with --quick).")
        Integer times;

        @Option(names = "--train-steps", description = "Network training steps, 0 to skip the network (default ${bundle:default.li-yau.trainSteps}; ${bundle:default.li-yau.trainSteps.quick} with --quick).")
        Integer trainSteps;

        @Option(names = "--width", description = "Hidden width of the network (default ${bundle:default.li-yau.width}; ${bundle:default.li-yau.width.quick} with --quick).")
        Integer width;

        @Override
        public Integer call() {
            LiYauExperiment.Params d = LiYauExperiment.Params.defaults(common.quick);
            return common.run(new LiYauExperiment(), new LiYauExperiment.Params(T, ExperimentOptions.or(points, d.points()),
                    ExperimentOptions.or(cells, d.cells()), ExperimentOptions.or(samples, d.samples()), ExperimentOptions.or(steps, d.steps()),
                    tMin, ExperimentOptions.or(times, d.times()), ExperimentOptions.or(trainSteps, d.trainSteps()),
                    ExperimentOptions.or(width, d.width())));
        }
    }

    /** C7/C8: the ODE-SDE gap of P3's potential networks trained with FP weights, against the FP residual. */
    @Command(name = "ode-sde-gap", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "C7/C8: W2^2 between ODE, SDE and truth histograms for scores trained with FP-residual weights (P3's setup).")
    static final class OdeSdeGap implements Callable<Integer> {
        @Mixin
        ExperimentOptions common;

        @Option(names = "--data", split = ",", description = "2-D data sets (default ${bundle:default.ode-sde-gap.data}; ${bundle:default.ode-sde-gap.data.quick} with --quick).")
        String[] data;

        @Option(names = "--weights", split = ",", description = "FP weights, ascending from 0 (default ${bundle:default.ode-sde-gap.weights}; ${bundle:default.ode-sde-gap.weights.quick} with --quick).")
        double[] weights;

        @Option(names = "--width", description = "Hidden width of the potential network (default ${bundle:default.ode-sde-gap.width}; ${bundle:default.ode-sde-gap.width.quick} with --quick).")
        Integer width;

        @Option(names = "--depth", description = "Hidden layers (default ${bundle:default.ode-sde-gap.depth}).")
        Integer depth;

        @Option(names = "--train-steps", description = "Adam steps per model (default ${bundle:default.ode-sde-gap.trainSteps}; ${bundle:default.ode-sde-gap.trainSteps.quick} with --quick; P3: 100000).")
        Integer trainSteps;

        @Option(names = "--batch", description = "DSM batch (default ${bundle:default.ode-sde-gap.batch}; ${bundle:default.ode-sde-gap.batch.quick} with --quick; P3: 200000).")
        Integer batch;

        @Option(names = "--fp-batch", description = "FP collocation points per step (default ${bundle:default.ode-sde-gap.fpBatch}; ${bundle:default.ode-sde-gap.fpBatch.quick} with --quick; P3: 50000).")
        Integer fpBatch;

        @Option(names = "--train-points", description = "Training sample size (default ${bundle:default.ode-sde-gap.trainPoints}; ${bundle:default.ode-sde-gap.trainPoints.quick} with --quick).")
        Integer trainPoints;

        @Option(names = "--samples", description = "Samples per sampler and truth sample size (default ${bundle:default.ode-sde-gap.samples}; ${bundle:default.ode-sde-gap.samples.quick} with --quick; P3: 3000000).")
        Integer samples;

        @Option(names = "--coarse-steps", description = "Sampler steps from T to --fine-span (default ${bundle:default.ode-sde-gap.coarseSteps}; ${bundle:default.ode-sde-gap.coarseSteps.quick} with --quick).")
        Integer coarseSteps;

        @Option(names = "--fine-steps", description = "Sampler steps from --fine-span to --eps (default ${bundle:default.ode-sde-gap.fineSteps}; ${bundle:default.ode-sde-gap.fineSteps.quick} with --quick).")
        Integer fineSteps;

        @Option(names = "--fine-span", defaultValue = "${bundle:default.ode-sde-gap.fineSpan}", description = "Time span of the fine sampler steps.")
        double fineSpan;

        @Option(names = "--eps", defaultValue = "${bundle:default.ode-sde-gap.eps}", description = "Smallest time of training, collocation and sampling.")
        double eps;

        @Option(names = "--cells", defaultValue = "${bundle:default.ode-sde-gap.cells}", description = "Histogram cells per side.")
        int cells;

        @Option(names = "--box", defaultValue = "${bundle:default.ode-sde-gap.box}", description = "Half-width of the histogram and collocation box.")
        double box;

        @Option(names = "--fp-box", defaultValue = "${bundle:default.ode-sde-gap.fpBox}", description = "Half-width of the FP collocation box and of the residual norms (P3's code: 5.5 for blob).")
        double fpBox;

        @Option(names = "--residual-points", description = "Points for the residual norms (default ${bundle:default.ode-sde-gap.residualPoints}; ${bundle:default.ode-sde-gap.residualPoints.quick} with --quick).")
        Integer residualPoints;

        @Option(names = "--grid-cells", description = "Cells per side of the M9 grid solutions, 0 to skip (default ${bundle:default.ode-sde-gap.gridCells}).")
        Integer gridCells;

        @Option(names = "--grid-steps", description = "Time levels of the M9 grid solutions (default ${bundle:default.ode-sde-gap.gridSteps}; ${bundle:default.ode-sde-gap.gridSteps.quick} with --quick).")
        Integer gridSteps;

        @Option(names = "--preset", defaultValue = "${bundle:default.ode-sde-gap.preset}", description = "p3 (P3's network input, optimiser, loss scaling and "
                + "discarding of samples outside the box) or project (the earlier choices).")
        String preset;

        @Option(names = "--fp-points", defaultValue = "${bundle:default.ode-sde-gap.fpPoints}", description = "Collocation law of the FP penalty: uniform "
                + "(P3: uniform in the box) or perturbed (the data's forward law p_t).")
        String fpPoints;

        @Option(names = "--models", description = "Directory of pdediff model files <data>_w<weight>.pdm (e.g. blob_w0.1.pdm) "
                + "loaded instead of training one model per data set and weight (e.g. P3's networks, bench/p3_crosscheck.sh); default: none, every model is trained.")
        String models;

        @Override
        public Integer call() {
            OdeSdeGapExperiment.Params d = OdeSdeGapExperiment.Params.defaults(common.quick);
            return common.run(new OdeSdeGapExperiment(), new OdeSdeGapExperiment.Params(
                    ExperimentOptions.or(data, d.data()), ExperimentOptions.or(weights, d.weights()),
                    ExperimentOptions.or(width, d.width()), ExperimentOptions.or(depth, d.depth()),
                    ExperimentOptions.or(trainSteps, d.trainSteps()), ExperimentOptions.or(batch, d.batch()),
                    ExperimentOptions.or(fpBatch, d.fpBatch()), ExperimentOptions.or(trainPoints, d.trainPoints()),
                    ExperimentOptions.or(samples, d.samples()), ExperimentOptions.or(coarseSteps, d.coarseSteps()),
                    ExperimentOptions.or(fineSteps, d.fineSteps()), fineSpan, eps, cells, box, fpBox,
                    ExperimentOptions.or(residualPoints, d.residualPoints()), ExperimentOptions.or(gridCells, d.gridCells()),
                    ExperimentOptions.or(gridSteps, d.gridSteps()), OdeSdeGapExperiment.Preset.parse(preset),
                    org.pdediff.train.FpPoints.parse(fpPoints), models));
        }
    }
}
