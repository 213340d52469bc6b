package org.pdediff.experiment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.metrics.Memorization;
import org.pdediff.report.ImageGridPlot;
import org.pdediff.report.LinePlotChart;
import org.pdediff.report.Png;
import org.pdediff.report.Report;
import org.pdediff.sample.GridKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
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
        Spec s = Spec.parse(data);
        StringBuilder b = new StringBuilder(data.strip());
        boolean colon = data.contains(":");
        if (!s.has("n") && images != Integer.MAX_VALUE) {
            b.append(colon ? "," : ":").append("n=").append(images);
            colon = true;
        }
        if (!s.has("seed")) {
            b.append(colon ? "," : ":").append("seed=").append(seed);
        }
        return b.toString();
    }

    static Experiment.Outcome run(MemorisationExperiment exp, MemorisationExperiment.Params p, ExperimentContext ctx) {
        DataSet ds = DataSets.parse(withSize(p.data(), p.images(), ctx.seed()));
        Batch train = ds.points();
        int bigN = train.size();
        int d = train.dim();
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d) {
            throw new InvalidInputException("memorisation: --data " + ds.name() + " is not a set of square images (d = " + d + ")");
        }
        int n = p.samples();
        Sde sde = new VpSde();
        double[] eps = p.eps().clone();
        java.util.Arrays.sort(eps);
        double epsMin = eps[0];
        double spacing = spacing(train);
        double chiMean = MemorisationExperiment.meanChiNorm(d);
        double chiRel = Math.sqrt(Math.max(0, d - chiMean * chiMean)) / chiMean;
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
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        List<String[]> images = new ArrayList<>();
        LinePlotChart chart = new LinePlotChart("Mean nearest-training distance / C1 prediction", "stopping time eps",
                "ratio to prediction", true, true);
        boolean holds = true;
        int asserted = 0;
        int done = 0;
        int total = scores.size() * 2;
        for (Map.Entry<String, ScoreModel> sc : scores.entrySet()) {
            ScoreModel score = sc.getValue();
            Sde ssde = score.sde();
            boolean exact = sc.getKey().equals("exact");
            TimeGrid grid = TimeGrid.of(GridKind.GEOMETRIC, ssde.T(), epsMin, p.steps());
            for (SamplerKind kind : new SamplerKind[] {SamplerKind.EM, SamplerKind.HEUN}) {
                String sampler = kind == SamplerKind.EM ? "sde" : "ode";
                SamplingOptions opts = SamplingOptions.builder().kind(kind).timeGrid(grid).seed(ctx.seed()).recordTimes(eps).build();
                SampleResult r = Samplers.fromPrior(score, n, opts, n);
                String label = sc.getKey() + " " + sampler.toUpperCase(java.util.Locale.ROOT);
                List<Double> ts = new ArrayList<>();
                List<Double> rs = new ArrayList<>();
                List<Batch> perEps = new ArrayList<>();
                Batch last = null;
                Memorization.Result lastM = null;
                double lastT = Double.NaN;
                double lastPredicted = Double.NaN;
                for (Snapshot snap : r.trajectory()) {
                    double t = snap.t();
                    double a = ssde.alpha(t);
                    double s = ssde.sigma(t) / a;
                    Batch scaled = snap.x().copy();
                    double[] v = scaled.data();
                    for (int k = 0; k < v.length; k++) {
                        v[k] /= a;
                    }
                    double delta = s * (Math.sqrt(d) + 4);
                    Memorization.Result m = Memorization.compute(scaled, train, delta);
                    double predicted = s * chiMean;
                    double ratio = m.meanNearestDist() / predicted;
                    boolean regime = exact && s <= 0.05 * spacing;
                    double tol = 5 * chiRel / Math.sqrt(n) + 0.03;
                    boolean ok = !regime || (Math.abs(ratio - 1) <= tol && m.fractionWithin() >= 1.0);
                    if (regime) {
                        asserted++;
                        holds &= ok;
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("data", ds.spec());
                    row.put("N", bigN);
                    row.put("score", sc.getKey());
                    row.put("sampler", sampler);
                    row.put("eps", t);
                    row.put("sigma_over_alpha", s);
                    row.put("mean_nearest_dist", m.meanNearestDist());
                    row.put("predicted_mean_nearest_dist", predicted);
                    row.put("ratio_to_prediction", ratio);
                    row.put("tolerance", tol);
                    row.put("delta", delta);
                    row.put("fraction_within", m.fractionWithin());
                    row.put("distinct_nearest", m.distinctNearest());
                    row.put("in_memorisation_regime", regime);
                    row.put("within_tolerance", ok);
                    rows.add(row);
                    table.add(List.of(label, Report.num(t), Report.num(s), Report.num(m.meanNearestDist()), Report.num(predicted),
                            Report.num(ratio), Report.num(m.fractionWithin()), Integer.toString(m.distinctNearest()),
                            regime ? (ok ? "yes" : "NO") : "(not asserted)"));
                    ts.add(t);
                    rs.add(ratio);
                    perEps.add(scaled.rows(0, Math.min(8, n)));
                    last = scaled;
                    lastM = m;
                    lastT = t;
                    lastPredicted = predicted;
                }
                if (last != null) {
                    // the smallest ε (the sampler reaches it last): sample | nearest training image | distance
                    Batch nearest = Batch.zeros(n, d);
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(train.data(), lastM.nearest()[i] * d, nearest.data(), i * d, d);
                    }
                    String file = "nearest_" + sc.getKey() + "_" + sampler + ".png";
                    BufferedImage im = ImageGridPlot.nearestNeighbours(last, nearest, lastM.d1(), side, Math.min(4, Math.max(1, n / 4)),
                            side <= 8 ? 6 : 2, -1, 1, label + ", eps=" + Report.num(lastT) + ": sample | nearest training image | distance"
                                    + " (C1 predicts " + Report.num(lastPredicted) + ")");
                    Png.write(ctx.out().resolve(file), im);
                    images.add(new String[] {file, label + " at ε = " + Report.num(lastT) + ": each sample Y/α, its nearest training image"
                            + " and their distance (C1's prediction: " + Report.num(lastPredicted) + ")."});
                }
                if (!ts.isEmpty()) {
                    chart.line(label, ts.stream().mapToDouble(Double::doubleValue).toArray(), rs.stream().mapToDouble(Double::doubleValue).toArray(), true);
                }
                if (kind == SamplerKind.EM && !perEps.isEmpty()) {
                    // the stopping-time trade-off (P1): the same particles at every ε, largest ε first
                    int per = perEps.get(0).size();
                    Batch strip = Batch.zeros(per * perEps.size(), d);
                    for (int q = 0; q < perEps.size(); q++) {
                        System.arraycopy(perEps.get(q).data(), 0, strip.data(), q * per * d, per * d);
                    }
                    String file = "eps_sweep_" + sc.getKey() + ".png";
                    Png.write(ctx.out().resolve(file), ImageGridPlot.render(strip, side, per, perEps.size(), side <= 8 ? 6 : 3, -1, 1));
                    images.add(new String[] {file, label + ": the same " + per + " particles (columns) at each recorded ε (rows, "
                            + "in the order the sampler reached them: " + joinEps(ts) + "), shown as Y/α. Large ε: noisy"
                            + " images far from any training image; small ε: " + (exact ? "copies of training images (P1's"
                            + " stopping-time trade-off)." : "the network's samples.")});
                }
                ctx.listener().progress(++done, total, label);
            }
        }
        Png.write(ctx.out().resolve("ratio_to_prediction.png"), chart.chart());
        List<Map<String, Object>> heldOut = null;
        double heldOutNearest = Double.NaN;
        if (scores.containsKey("network") && ds.name().equals("fashion-mnist")) {
            // generalisation: the denoising loss on 64 test images, which neither score was fitted to
            Spec dsSpec = Spec.parse(ds.spec());
            String test = "fashion-mnist:split=test,n=64,seed=" + ctx.seed()
                    + (dsSpec.has("classes") ? ",classes=" + dsSpec.getString("classes", "") : "");
            Batch testPoints = DataSets.parse(test).points();
            heldOut = ImageNetwork.heldOutDsm(scores, testPoints, sde, ctx.seed());
            heldOutNearest = Memorization.compute(testPoints, train, 0).meanNearestDist();
        }
        holds &= asserted > 0;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("mode", "images");
        results.put("data_spec", ds.spec());
        results.put("data_hash", ds.hash());
        results.put("N", bigN);
        results.put("d", d);
        results.put("median_spacing", spacing);
        results.put("asserted_rows", asserted);
        results.put("network", p.network() == null ? "none (hook: --network SPEC)" : p.network());
        if (training != null) {
            results.put("network_training", training);
        }
        if (heldOut != null) {
            results.put("held_out_dsm", heldOut);
            results.put("held_out_nearest_dist", heldOutNearest);
        }
        results.put("rows", rows);
        Report rep = new Report("C1 on images: memorisation by the exact score (" + ds.spec() + ")")
                .paragraph("Claim: " + exp.claim() + ". Forward SDE vp; exact score of " + bigN + " training images (M10; d = " + d
                        + ") computed by the native kernel with certified pruning; samplers: reverse SDE (Euler–Maruyama) and"
                        + " probability-flow ODE (Heun), " + p.steps() + " geometric steps from T to ε = " + Report.num(epsMin) + ", "
                        + n + " samples each, recorded at every ε of the sweep. Distances are measured for Y/α(ε). C1 predicts a"
                        + " mean nearest distance (σ/α)·E|N(0, I_d)| = " + Report.num(chiMean) + "·σ/α. Asserted where σ/α ≤ 0.05 ×"
                        + " the median spacing of the training images (" + Report.num(spacing) + "): |ratio − 1| ≤ 5·"
                        + Report.num(chiRel) + "/√n + 0.03 and every sample within (σ/α)(√d + 4) of a training image.")
                .table(List.of("score / sampler", "ε", "σ/α", "mean d₁", "predicted", "ratio", "fraction within δ",
                        "distinct nearest", "claim"), table)
                .image("ratio_to_prediction.png", "Measured mean distance to the nearest training image over C1's prediction, against ε.");
        for (String[] im : images) {
            rep.image(im[0], im[1]);
        }
        if (training != null) {
            rep.paragraph("Trained network: " + scores.get("network").describe() + ", trained here by DSM on the same " + bigN
                    + " training images (" + training.get("steps") + " steps, batch " + ((Map<?, ?>) training.get("config")).get("batch")
                    + ", skip " + java.util.Objects.requireNonNullElse(((Map<?, ?>) training.get("config")).get("skip"), "none") + ", EMA; "
                    + Report.num((Double) training.get("seconds")) + " s; validation DSM "
                    + Report.num((Double) training.get("val_dsm")) + "), written to network.pdm. C1 says a network that"
                    + " generalises does not reproduce its training images: compare its mean nearest distance with the exact"
                    + " score's at the same ε.");
        }
        if (heldOut != null) {
            List<List<String>> ht = new ArrayList<>();
            for (Map<String, Object> row : heldOut) {
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
                    + " (not used by either score; d = " + d + " means no noise removed, far above d means pulled towards other"
                    + " images: the exact score pulls every point to its training images). For scale: those test images lie at"
                    + " mean distance " + Report.num(heldOutNearest) + " from their nearest training image; a sample of a"
                    + " network that generalises should be about as far from the training set as that, not C1's (σ/α)·"
                    + Report.num(chiMean) + ".")
                    .table(head, ht);
        }
        if (p.network() == null) {
            rep.paragraph("Trained network: not run here (no --network given). The hook: `--network model:PATH` samples a trained"
                    + " score the same way and reports its rows beside the exact score's (C1 says a network that generalises does"
                    + " not reproduce training images: its ratio stays ≫ 1).");
        }
        rep.paragraph(holds ? "Result: the claim holds in every asserted row: the exact score reproduces its training images."
                : "Result: the claim does NOT hold in at least one asserted row (marked NO), or no row was in the regime.");
        return new Experiment.Outcome(holds, results, rep);
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
