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

/** {@code pdediff experiment NAME}: the papers' claims (MATH.md §5) as reproducible experiments with reports. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
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

        @Option(names = "--T", defaultValue = "5", description = "Horizon of ou (θ = 1, g = √2).")
        double T;

        @Option(names = "--x0", defaultValue = "1.5", description = "The datum.")
        double x0;

        @Option(names = "--m0", defaultValue = "3", description = "Mean of the start law at T.")
        double m0;

        @Option(names = "--v0", defaultValue = "0.25", description = "Variance of the start law at T.")
        double v0;

        @Option(names = "--n", description = "Particles (default 200000; 20000 with --quick).")
        Integer n;

        @Option(names = "--steps", description = "Euler-Maruyama steps (default 4000; 400 with --quick).")
        Integer steps;

        @Option(names = "--ddpm-steps", defaultValue = "20", description = "DDPM steps (its transition is exact).")
        int ddpmSteps;

        @Option(names = "--eps", defaultValue = "0.01", description = "Stopping time.")
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

        @Option(names = "--sizes", split = ",", description = "Numbers N of random points in [-1,1]² (default 8,32,128,512,1000; 8,64,256 with --quick).")
        int[] sizes;

        @Option(names = "--samples-per-point", description = "Samples per training point (default 20; 8 with --quick).")
        Integer perPoint;

        @Option(names = "--eps", split = ",", description = "Stopping times swept (default 0.3..1e-4; 0.1,0.01,1e-3,1e-4 with --quick).")
        double[] eps;

        @Option(names = "--steps", description = "Sampler steps, geometric grid (default 1000; 200 with --quick).")
        Integer steps;

        @Option(names = "--digits", description = "Digits subset size, 0 to skip (default 200; 40 with --quick).")
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

        @Option(names = "--points", description = "Training points per manifold (default 400; 100 with --quick).")
        Integer points;

        @Option(names = "--n", description = "Particles per run (default 2000; 400 with --quick).")
        Integer n;

        @Option(names = "--T", defaultValue = "2", description = "Heat horizon.")
        double T;

        @Option(names = "--steps", description = "Sampler steps (default 1500; 300 with --quick).")
        Integer steps;

        @Option(names = "--eps-min", description = "Smallest recorded time (default 1e-5; 1e-4 with --quick).")
        Double epsMin;

        @Option(names = "--broad", defaultValue = "2", description = "Std factor of the broad start law.")
        double broad;

        @Option(names = "--tolerance", defaultValue = "0.05", description = "Fidelity tolerance δ for the recommended ε.")
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

        @Option(names = "--points", description = "Training points, random in [-1.5,1.5]^2 (default 8; 5 with --quick).")
        Integer points;

        @Option(names = "--T", defaultValue = "1", description = "Heat horizon.")
        double T;

        @Option(names = "--t-end", defaultValue = "0.25", description = "Forward time where the reverse solves stop.")
        double tEnd;

        @Option(names = "--cells", description = "Grid cells per axis (default 192; 64 with --quick).")
        Integer cells;

        @Option(names = "--records", description = "Recorded times, even (default 24; 12 with --quick).")
        Integer records;

        @Option(names = "--deltas", split = ",", description = "Perturbation sizes, increasing (default 0.01,0.02,0.04,0.08,0.16; 0.02,0.04,0.08 with --quick).")
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

        @Option(names = "--T", defaultValue = "1", description = "Heat horizon.")
        double T;

        @Option(names = "--points", description = "Training points from the 4-component mixture (default 400; 64 with --quick).")
        Integer points;

        @Option(names = "--cells", description = "Grid cells per axis (default 128; 48 with --quick).")
        Integer cells;

        @Option(names = "--samples", description = "Reverse-SDE samples (default 4000; 400 with --quick).")
        Integer samples;

        @Option(names = "--steps", description = "Sampler steps (default 1000; 200 with --quick).")
        Integer steps;

        @Option(names = "--t-min", defaultValue = "0.001", description = "Smallest time examined.")
        double tMin;

        @Option(names = "--times", description = "Number of log-spaced times in [t-min, T/2] (default 10; 5 with --quick).")
        Integer times;

        @Option(names = "--train-steps", description = "Network training steps, 0 to skip the network (default 6000; 1500 with --quick).")
        Integer trainSteps;

        @Option(names = "--width", description = "Hidden width of the network (default 64; 32 with --quick).")
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

        @Option(names = "--data", split = ",", description = "2-D data sets (default blob,circles,checker; blob with --quick).")
        String[] data;

        @Option(names = "--weights", split = ",", description = "FP weights, ascending from 0 (default 0,0.1,1,10; 0,0.1,1 with --quick).")
        double[] weights;

        @Option(names = "--width", description = "Hidden width of the potential network (default 80; 32 with --quick).")
        Integer width;

        @Option(names = "--depth", description = "Hidden layers (default 3).")
        Integer depth;

        @Option(names = "--train-steps", description = "Adam steps per model (default 3000; 600 with --quick; P3: 100000).")
        Integer trainSteps;

        @Option(names = "--batch", description = "DSM batch (default 1024; 256 with --quick; P3: 200000).")
        Integer batch;

        @Option(names = "--fp-batch", description = "FP collocation points per step (default 1024; 128 with --quick; P3: 50000).")
        Integer fpBatch;

        @Option(names = "--train-points", description = "Training sample size (default 200000; 20000 with --quick).")
        Integer trainPoints;

        @Option(names = "--samples", description = "Samples per sampler and truth sample size (default 20000; 2000 with --quick; P3: 3000000).")
        Integer samples;

        @Option(names = "--coarse-steps", description = "Sampler steps from T to --fine-span (default 790; 79 with --quick).")
        Integer coarseSteps;

        @Option(names = "--fine-steps", description = "Sampler steps from --fine-span to --eps (default 100; 10 with --quick).")
        Integer fineSteps;

        @Option(names = "--fine-span", defaultValue = "0.125", description = "Time span of the fine sampler steps.")
        double fineSpan;

        @Option(names = "--eps", defaultValue = "1e-5", description = "Smallest time of training, collocation and sampling.")
        double eps;

        @Option(names = "--cells", defaultValue = "64", description = "Histogram cells per side.")
        int cells;

        @Option(names = "--box", defaultValue = "3.5", description = "Half-width of the histogram and collocation box.")
        double box;

        @Option(names = "--fp-box", defaultValue = "3.5", description = "Half-width of the FP collocation box and of the residual norms (P3's code: 5.5 for blob).")
        double fpBox;

        @Option(names = "--residual-points", description = "Points for the residual norms (default 4000; 2000 with --quick).")
        Integer residualPoints;

        @Option(names = "--grid-cells", description = "Cells per side of the M9 grid solutions, 0 to skip (default 0).")
        Integer gridCells;

        @Option(names = "--grid-steps", description = "Time levels of the M9 grid solutions (default 400; 100 with --quick).")
        Integer gridSteps;

        @Option(names = "--preset", defaultValue = "p3", description = "p3 (P3's network input, optimiser, loss scaling and "
                + "discarding of samples outside the box) or project (the earlier choices).")
        String preset;

        @Option(names = "--fp-points", defaultValue = "uniform", description = "Collocation law of the FP penalty: uniform "
                + "(P3: uniform in the box) or perturbed (the data's forward law p_t).")
        String fpPoints;

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
                    org.pdediff.train.FpPoints.parse(fpPoints)));
        }
    }
}
