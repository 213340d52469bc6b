package org.pdediff.experiment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.data.DataSpec;
import org.pdediff.metrics.Memorization;
import org.pdediff.report.ImageGridPlot;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Snapshot;
import org.pdediff.sample.TimeGrid;
import org.pdediff.score.FiniteDataScore;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VpSde;
import org.pdediff.train.Trainer;

/**
 * The image mode of {@link MemorisationExperiment} (C1 on real images, e.g. Fashion-MNIST, d = 784): the exact score
 * of N training images (M10, native kernel with certified pruning), sampled by the reverse SDE (Euler–Maruyama) and
 * the probability-flow ODE (Heun) on a geometric grid, recorded at every ε of the sweep. At ε, C1 predicts
 * Y/α = x_i + (σ/α)z with z ~ N(0, I_d): the distance to the nearest training image has mean (σ/α)·E|N(0, I_d)|
 * (= (σ/α)·√2·Γ((d+1)/2)/Γ(d/2) ≈ 27.99·σ/α for d = 784) and relative spread sd/mean = √(d − E|z|²... )/E|z| ≈ 0.025.
 *
 * <p>Asserted where σ/α ≤ 0.05 × the median nearest-neighbour spacing of the training images (measured on up to 200
 * of them): |ratio − 1| ≤ 5·(sd/mean)/√n + 0.03 (5 standard errors plus 3% for the sampler's discretisation) and
 * every sample within δ = (σ/α)(√d + 4) of a training image (|z| − √d exceeds 4 with probability below 10⁻⁸).
 * With a trained network ({@code network}), its rows are measured the same way and reported, not asserted (the
 * claim for networks is that they do NOT reproduce training images: ratio ≫ 1).
 */
final class MemorisationImages {
    private MemorisationImages() {
    }

    /** The spec with {@code n} and {@code seed} added where missing (so that the subset is the seeded one). */
    static String withSize(String data, int images, long seed) {
        DataSpec s = DataSpec.parse(data);
        if (images != Integer.MAX_VALUE) {
            s = s.withDefault("n", images);
        }
        return s.withDefault("seed", seed).toString();
    }

    /** The image mode's results. */
    record Measured(String mode, String dataSpec, String dataHash, int N, int d, double medianSpacing, int assertedRows,
                    String network, Optional<Map<String, Object>> networkTraining, Optional<List<Map<String, Object>>> heldOutDsm,
                    OptionalDouble heldOutNearestDist, List<MemorisationExperiment.Row> rows) {
    }

    /** What a network trained here ({@link ImageNetwork}) and its held-out comparison add to the results and report. */
    private record NetworkParts(Map<String, Object> training, List<Map<String, Object>> heldOut, double heldOutNearest) {
    }

    /** One image (file and caption) of the report. */
    private record Figure(String file, String caption) {
    }

    /** The training images and the numbers every row needs. */
    private record Setup(DataSet ds, int side, int n, double[] eps, double spacing, double chiMean, double chiRel) {
        Batch train() {
            return ds.points();
        }
    }

    /**
     * The network's training summary and, for a network on Fashion-MNIST, its generalisation: the denoising loss of
     * every score on 64 test images, which neither score was fitted to, and their mean nearest-training distance.
     */
    private static NetworkParts networkParts(Map<String, Object> training, Map<String, ScoreModel> scores, DataSet ds, Sde sde,
                                             long seed) {
        if (!scores.containsKey("network") || !ds.name().equals("fashion-mnist")) {
            return new NetworkParts(training, null, Double.NaN);
        }
        DataSpec dsSpec = DataSpec.parse(ds.spec());
        String test = "fashion-mnist:split=test,n=64,seed=" + seed
                + (dsSpec.has("classes") ? ",classes=" + dsSpec.params().get("classes") : "");
        Batch testPoints = DataSets.parse(test).points();
        return new NetworkParts(training, ImageNetwork.heldOutDsm(scores, testPoints, sde, seed),
                Memorization.compute(testPoints, ds.points(), 0).meanNearestDist());
    }

    static ExperimentResult<MemorisationExperiment.Params> run(MemorisationExperiment exp, MemorisationExperiment.Params p,
                                                               ExperimentContext ctx) {
        DataSet ds = DataSets.parse(withSize(p.data(), p.images(), ctx.seed()));
        Batch train = ds.points();
        int d = train.dim();
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d) {
            throw new InvalidInputException("memorisation: --data " + ds.name() + " is not a set of square images (d = " + d + ")");
        }
        Sde sde = new VpSde();
        double chiMean = MemorisationExperiment.meanChiNorm(d);
        Setup su = new Setup(ds, side, p.samples(), MemorisationExperiment.sortedEps(p), spacing(train), chiMean,
                Math.sqrt(Math.max(0, d - chiMean * chiMean)) / chiMean);
        Map<String, ScoreModel> scores = new LinkedHashMap<>();
        scores.put("exact", new FiniteDataScore(sde, train));
        Map<String, Object> training = null;
        if (ImageNetwork.requested(p.network())) {
            // trained here, on the same training images as the exact score; kept beside the report
            Trainer.Result tr = ImageNetwork.train(p.network(), ds, sde, ctx.seed(), (done, all, msg) -> { });
            tr.checkpoint().write(ctx.out().resolve("network.pdm"));
            training = new LinkedHashMap<>(ImageNetwork.summary(tr));
            training.put("file", "network.pdm");
            scores.put("network", tr.score());
        } else if (p.network() != null && !p.network().isBlank()) {
            scores.put("network", Scores.create(p.network(), ds, sde));
        }
        List<MemorisationExperiment.Row> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<Figure> images = new ArrayList<>();
        LinePlotChart chart = MemorisationExperiment.ratioChart("Mean nearest-training distance / C1 prediction");
        int done = 0;
        for (Map.Entry<String, ScoreModel> sc : scores.entrySet()) {
            TimeGrid grid = TimeGrid.of(GridKind.GEOMETRIC, sc.getValue().sde().T(), su.eps()[0], p.steps());
            for (SamplerKind kind : MemorisationExperiment.SAMPLERS) {
                String sampler = MemorisationExperiment.samplerKey(kind);
                String label = sc.getKey() + " " + sampler.toUpperCase(java.util.Locale.ROOT);
                SampleResult r = MemorisationExperiment.sample(sc.getValue(), kind, grid, su.eps(), su.n(), ctx.seed());
                List<MemorisationExperiment.Snap> snaps = new ArrayList<>();
                for (Snapshot snap : r.trajectory()) {
                    snaps.add(MemorisationExperiment.Snap.of(snap, sc.getValue().sde(), train, chiMean, Math.sqrt(d) + 4));
                }
                for (MemorisationExperiment.Snap m : snaps) {
                    rows.add(row(su, sc.getKey(), sampler, m, label, checks));
                    labels.add(label);
                }
                if (!snaps.isEmpty()) {
                    chart.line(label, snaps.stream().mapToDouble(MemorisationExperiment.Snap::t).toArray(),
                            snaps.stream().mapToDouble(MemorisationExperiment.Snap::ratio).toArray(), true);
                    images.add(nearestFigure(ctx, su, snaps.get(snaps.size() - 1), sc.getKey(), sampler, label));
                    if (kind == SamplerKind.EM) {
                        images.add(sweepFigure(ctx, su, snaps, sc.getKey(), label));
                    }
                }
                ctx.listener().progress(++done, scores.size() * 2, label);
            }
        }
        Png.write(ctx.out().resolve("ratio_to_prediction.png"), chart.chart());
        NetworkParts net = networkParts(training, scores, ds, sde, ctx.seed());
        List<Map<String, Object>> heldOut = net.heldOut();
        double heldOutNearest = net.heldOutNearest();
        int asserted = MemorisationExperiment.regimeCheck(rows, checks);
        Measured measured = new Measured("images", ds.spec(), ds.hash(), train.size(), d, su.spacing(), asserted,
                p.network() == null ? "none (hook: --network SPEC)" : p.network(), Optional.ofNullable(training),
                Optional.ofNullable(heldOut), heldOut == null ? OptionalDouble.empty() : OptionalDouble.of(heldOutNearest), rows);
        Report rep = report(exp, p, su, rows, labels, images);
        networkParagraphs(rep, net, scores, su);
        return new ExperimentResult<>(p, measured, checks, rep);
    }

    /** One row; asserted for the exact score where σ/α ≤ 0.05 × the median spacing of the training images. */
    private static MemorisationExperiment.Row row(Setup su, String score, String sampler, MemorisationExperiment.Snap m,
                                                  String label, List<Check> checks) {
        boolean regime = score.equals("exact") && m.s() <= 0.05 * su.spacing();
        double tol = 5 * su.chiRel() / Math.sqrt(su.n()) + 0.03;
        boolean ok = true;
        if (regime) {
            String at = label + " eps=" + Report.num(m.t()) + ": ";
            Check c1 = Check.near(at + "ratio to prediction", m.ratio(), 1, tol);
            Check c2 = Check.atLeast(at + "fraction within delta", m.m().fractionWithin(), 1.0);
            checks.add(c1);
            checks.add(c2);
            ok = c1.holds() && c2.holds();
        }
        return new MemorisationExperiment.Row(su.ds().spec(), su.train().size(), Optional.of(score), sampler, m.t(), m.s(),
                m.m().meanNearestDist(), m.predicted(), m.ratio(), OptionalDouble.of(tol), m.delta(), m.m().fractionWithin(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.of(m.m().distinctNearest()), regime, ok);
    }

    /** The smallest ε (the sampler reaches it last): sample | nearest training image | distance. */
    private static Figure nearestFigure(ExperimentContext ctx, Setup su, MemorisationExperiment.Snap last, String score,
                                        String sampler, String label) {
        int n = su.n();
        int d = su.train().dim();
        Batch nearest = Batch.zeros(n, d);
        for (int i = 0; i < n; i++) {
            System.arraycopy(su.train().data(), last.m().nearest()[i] * d, nearest.data(), i * d, d);
        }
        String file = "nearest_" + score + "_" + sampler + ".png";
        int side = su.side();
        BufferedImage im = ImageGridPlot.nearestNeighbours(last.scaled(), nearest, last.m().d1(), side, Math.min(4, Math.max(1, n / 4)),
                side <= 8 ? 6 : 2, -1, 1, label + ", eps=" + Report.num(last.t()) + ": sample | nearest training image | distance"
                        + " (C1 predicts " + Report.num(last.predicted()) + ")");
        Png.write(ctx.out().resolve(file), im);
        return new Figure(file, label + " at ε = " + Report.num(last.t()) + ": each sample Y/α, its nearest training image"
                + " and their distance (C1's prediction: " + Report.num(last.predicted()) + ").");
    }

    /** The stopping-time trade-off (P1): the same particles at every ε, largest ε first. */
    private static Figure sweepFigure(ExperimentContext ctx, Setup su, List<MemorisationExperiment.Snap> snaps, String score,
                                      String label) {
        int d = su.train().dim();
        int per = Math.min(8, su.n());
        Batch strip = Batch.zeros(per * snaps.size(), d);
        List<Double> ts = new ArrayList<>();
        for (int q = 0; q < snaps.size(); q++) {
            System.arraycopy(snaps.get(q).scaled().data(), 0, strip.data(), q * per * d, per * d);
            ts.add(snaps.get(q).t());
        }
        String file = "eps_sweep_" + score + ".png";
        int side = su.side();
        Png.write(ctx.out().resolve(file), ImageGridPlot.render(strip, side, per, snaps.size(), side <= 8 ? 6 : 3, -1, 1));
        return new Figure(file, label + ": the same " + per + " particles (columns) at each recorded ε (rows, "
                + "in the order the sampler reached them: " + joinEps(ts) + "), shown as Y/α. Large ε: noisy"
                + " images far from any training image; small ε: " + (score.equals("exact")
                ? "copies of training images (P1's stopping-time trade-off)." : "the network's samples."));
    }

    private static Report report(MemorisationExperiment exp, MemorisationExperiment.Params p, Setup su,
                                 List<MemorisationExperiment.Row> rows, List<String> labels, List<Figure> images) {
        List<List<String>> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            MemorisationExperiment.Row r = rows.get(i);
            table.add(Report.cells(labels.get(i), r.eps(), r.sigmaOverAlpha(), r.meanNearestDist(), r.predictedMeanNearestDist(),
                    r.ratioToPrediction(), r.fractionWithin(), r.distinctNearest().getAsInt(), MemorisationExperiment.claimCell(r)));
        }
        Report rep = new Report("C1 on images: memorisation by the exact score (" + su.ds().spec() + ")")
                .paragraph("Claim: " + exp.claim() + ". Forward SDE vp; exact score of " + su.train().size() + " training images (M10; d = "
                        + su.train().dim() + ") computed by the native kernel with certified pruning; samplers: reverse SDE (Euler–Maruyama) and"
                        + " probability-flow ODE (Heun), " + p.steps() + " geometric steps from T to ε = " + Report.num(su.eps()[0]) + ", "
                        + su.n() + " samples each, recorded at every ε of the sweep. Distances are measured for Y/α(ε). C1 predicts a"
                        + " mean nearest distance (σ/α)·E|N(0, I_d)| = " + Report.num(su.chiMean()) + "·σ/α. Asserted where σ/α ≤ 0.05 ×"
                        + " the median spacing of the training images (" + Report.num(su.spacing()) + "): |ratio − 1| ≤ 5·"
                        + Report.num(su.chiRel()) + "/√n + 0.03 and every sample within (σ/α)(√d + 4) of a training image.")
                .table(List.of("score / sampler", "ε", "σ/α", "mean d₁", "predicted", "ratio", "fraction within δ",
                        "distinct nearest", "claim"), table)
                .image("ratio_to_prediction.png", "Measured mean distance to the nearest training image over C1's prediction, against ε.");
        for (Figure im : images) {
            rep.image(im.file(), im.caption());
        }
        if (p.network() == null) {
            rep.paragraph("Trained network: not run here (no --network given). The hook: `--network model:PATH` samples a trained"
                    + " score the same way and reports its rows beside the exact score's (C1 says a network that generalises does"
                    + " not reproduce training images: its ratio stays ≫ 1).");
        }
        return rep;
    }

    /** The trained network's paragraph and the held-out table (when a network was trained or evaluated here). */
    private static void networkParagraphs(Report rep, NetworkParts net, Map<String, ScoreModel> scores, Setup su) {
        Map<String, Object> training = net.training();
        if (training != null) {
            Map<?, ?> cfg = (Map<?, ?>) training.get("config");
            rep.paragraph("Trained network: " + scores.get("network").describe() + ", trained here by DSM on the same "
                    + su.train().size() + " training images (" + training.get("steps") + " steps, batch " + cfg.get("batch")
                    + ", skip " + java.util.Objects.requireNonNullElse(cfg.get("skip"), "none") + ", EMA; "
                    + Report.num((Double) training.get("seconds")) + " s; validation DSM "
                    + Report.num((Double) training.get("val_dsm")) + "), written to network.pdm. C1 says a network that"
                    + " generalises does not reproduce its training images: compare its mean nearest distance with the exact"
                    + " score's at the same ε.");
        }
        if (net.heldOut() != null) {
            List<List<String>> ht = new ArrayList<>();
            for (Map<String, Object> row : net.heldOut()) {
                List<String> cells = new ArrayList<>(List.of(Report.num((Double) row.get("t")), Report.num((Double) row.get("sigma"))));
                for (String k : scores.keySet()) {
                    cells.add(Report.num((Double) row.get(k)));
                }
                ht.add(cells);
            }
            List<String> head = new ArrayList<>(List.of("t", "σ"));
            for (String k : scores.keySet()) {
                head.add(k + " score");
            }
            rep.paragraph("Generalisation: the σ²-weighted denoising loss E|σ s(αx₀ + σε, t) + ε|² on 64 Fashion-MNIST test images"
                    + " (not used by either score; d = " + su.train().dim() + " means no noise removed, far above d means pulled"
                    + " towards other images: the exact score pulls every point to its training images). For scale: those test"
                    + " images lie at mean distance " + Report.num(net.heldOutNearest()) + " from their nearest training image; a"
                    + " sample of a network that generalises should be about as far from the training set as that, not C1's (σ/α)·"
                    + Report.num(su.chiMean()) + ".")
                    .table(head, ht);
        }
    }

    private static String joinEps(List<Double> ts) {
        List<String> s = new ArrayList<>();
        for (double t : ts) {
            s.add(Report.num(t));
        }
        return String.join(", ", s);
    }

    /** Median distance from up to 200 training images (evenly spaced indices) to their nearest other training image. */
    static double spacing(Batch train) {
        int m = Math.min(200, train.size());
        Batch sub = Batch.zeros(m, train.dim());
        for (int q = 0; q < m; q++) {
            int i = (int) ((long) q * train.size() / m);
            System.arraycopy(train.data(), i * train.dim(), sub.data(), q * train.dim(), train.dim());
        }
        Memorization.Result r = Memorization.compute(sub, train, 0);
        double[] d2 = r.d2().clone();  // the nearest is the image itself (distance 0); the second is its neighbour
        java.util.Arrays.sort(d2);
        return d2[d2.length / 2];
    }
}
