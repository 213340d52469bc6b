import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.pdediff.core.Batch;
import org.pdediff.core.Version;
import org.pdediff.data.DataSpec;
import org.pdediff.experiment.Check;
import org.pdediff.experiment.OdeSdeGapExperiment;
import org.pdediff.metrics.GroundCost;
import org.pdediff.metrics.TransportResult;
import org.pdediff.metrics.Wasserstein;
import org.pdediff.nn.ActivationKind;
import org.pdediff.sample.SampleResult;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.sample.SplitTimeGrid;
import org.pdediff.sample.TimeGrid;
import org.pdediff.sde.OuSde;
import org.pdediff.train.Architecture;
import org.pdediff.train.Checkpoint;
import org.pdediff.train.InputScaling;
import org.pdediff.train.NeuralScore;
import org.pdediff.train.Parameterisation;
import org.pdediff.train.Preconditioning;
import org.pdediff.train.Skip;
import org.pdediff.train.TimeInput;

/**
 * bench/p3_crosscheck.sh, Java side: P3's published histograms and networks (teojd/ODESDEGap) through pdediff's
 * metric (exact OT, {@link Wasserstein#exactWeighted}), its claim checks ({@link OdeSdeGapExperiment#claimChecks}) and
 * its samplers. Run as a single-file program on pdediff's class path. Modes:
 * <pre>
 *   published HIST_DIR SEED            part A: the 64x64 histograms (3e6 samples each) of all sets and weights
 *   convert NET.json OUT.pdm           a P3 network (state_dict dumped by p3_crosscheck_dump.py) as a pdediff model
 *   score MODEL.pdm POINTS.csv OUT.csv φ and the score ∇ₓφ of the model at (t, x1, x2) rows (float64)
 *   sample MODEL.pdm N SEED OUT_PREFIX ODE (Euler) and SDE (Euler–Maruyama, last step noiseless) samples on P3's
 *                                      grid (790 × 0.0125 from T = 10, then 100 steps to 1e-5), the experiment's
 *                                      settings, drawn on two threads; OUT_PREFIX.{ode,sde}.bin (n, then x1 x2 doubles)
 *   compare HIST_DIR SAMPLE_DIR SET SEED   part B: the samples of SET's four networks against P3's histograms
 * </pre>
 * Histogram nodes are P3's: linspace(−3.5, 3.5, 64)² (nearest node), index row·64 + col, node (lin[col], lin[row]).
 */
public final class P3CrossCheck {
    static final int K = 64;
    static final double L = 3.5;
    static final double[] WEIGHTS = {0, 0.1, 1, 10};
    static final String[] WKEYS = {"0.0", "0.1", "1.0", "10.0"};
    static final Batch NODES = nodes();
    /**
     * Merge factor of the transport problem: 1 = P3's 64 × 64 nodes; 2 = blocks of 2 × 2 nodes (32 × 32 points at the
     * blocks' centres of mass of node positions, masses summed), 4× fewer points and ~16× fewer arcs, as
     * OdeSdeGapExperiment's grid part merges cells ({@code GridW2.blocks}). Exact OT on the merged masses either way.
     */
    static int agg = 1;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "published" -> {
                agg = Integer.parseInt(args[3]);
                published(Path.of(args[1]), Long.parseLong(args[2]));
            }
            case "convert" -> convert(Path.of(args[1]), Path.of(args[2]));
            case "score" -> score(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "sample" -> sample(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), args[4]);
            case "compare" -> {
                agg = Integer.parseInt(args[5]);
                compare(Path.of(args[1]), Path.of(args[2]), args[3], Long.parseLong(args[4]));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static Batch nodes() {
        Batch b = Batch.zeros(K * K, 2);
        for (int r = 0; r < K; r++) {
            for (int c = 0; c < K; c++) {
                b.set(r * K + c, 0, node(c));
                b.set(r * K + c, 1, node(r));
            }
        }
        return b;
    }

    static double node(int k) {
        return -L + k * (2 * L / (K - 1));
    }

    static double[] readHist(Path f) throws IOException {
        double[] w = Files.readAllLines(f).stream().filter(s -> !s.isBlank()).mapToDouble(Double::parseDouble).toArray();
        if (w.length != K * K) {
            throw new IllegalStateException(f + ": " + w.length + " entries, want " + K * K);
        }
        return w;
    }

    /** Exact W2² between two weight vectors on P3's nodes (pdediff's OR-Tools min-cost flow; zero cells dropped). */
    static TransportResult w2(double[] a, double[] b) {
        Object[] pa = support(a);
        Object[] pb = support(b);
        return Wasserstein.exactWeighted((Batch) pa[0], (double[]) pa[1], (Batch) pb[0], (double[]) pb[1], GroundCost.SQUARED_EUCLIDEAN);
    }

    static TransportResult w2(long[] a, long[] b) {
        Object[] pa = support(toDouble(a));
        Object[] pb = support(toDouble(b));
        return Wasserstein.exactWeighted((Batch) pa[0], toLong((double[]) pa[1]), (Batch) pb[0], toLong((double[]) pb[1]),
                GroundCost.SQUARED_EUCLIDEAN);
    }

    static Object[] support(double[] w0) {
        double[] w = w0;
        Batch nodes = NODES;
        if (agg > 1) {
            int kb = K / agg;
            w = new double[kb * kb];
            nodes = Batch.zeros(kb * kb, 2);
            for (int r = 0; r < K; r++) {
                for (int c = 0; c < K; c++) {
                    int b = (r / agg) * kb + c / agg;
                    w[b] += w0[r * K + c];
                    nodes.set(b, 0, nodes.get(b, 0) + NODES.get(r * K + c, 0) / (agg * agg));
                    nodes.set(b, 1, nodes.get(b, 1) + NODES.get(r * K + c, 1) / (agg * agg));
                }
            }
        }
        int n = 0;
        for (double v : w) {
            n += v > 0 ? 1 : 0;
        }
        Batch pts = Batch.zeros(n, 2);
        double[] m = new double[n];
        int r = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                pts.set(r, 0, nodes.get(i, 0));
                pts.set(r, 1, nodes.get(i, 1));
                m[r++] = w[i];
            }
        }
        return new Object[] {pts, m};
    }

    static double[] toDouble(long[] c) {
        double[] d = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            d[i] = c[i];
        }
        return d;
    }

    static long[] toLong(double[] d) {
        long[] c = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            c[i] = Math.round(d[i]);
        }
        return c;
    }

    /** n multinomial draws from the weights w (the counts of a fresh n-sample of the histogram's law). */
    static long[] resample(double[] w, long n, SplittableRandom rng) {
        double[] cum = new double[w.length];
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i];
            cum[i] = s;
        }
        long[] c = new long[w.length];
        for (long k = 0; k < n; k++) {
            double u = rng.nextDouble() * s;
            int lo = 0;
            int hi = w.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            c[lo]++;
        }
        return c;
    }

    /** Nearest-node counts of the rows strictly inside the box (P3 discards the others). */
    static long[] binInside(Batch x, long[] kept) {
        long[] c = new long[K * K];
        long n = 0;
        double h = 2 * L / (K - 1);
        for (int i = 0; i < x.size(); i++) {
            double a = x.get(i, 0);
            double b = x.get(i, 1);
            if (!(Math.abs(a) < L && Math.abs(b) < L)) {
                continue;
            }
            int col = (int) Math.round((a + L) / h);
            int row = (int) Math.round((b + L) / h);
            c[row * K + col]++;
            n++;
        }
        kept[0] = n;
        return c;
    }

    /** Nearest-node counts of all rows (points outside go to the nearest edge node, as P3's discretise_dist). */
    static long[] binAll(Batch x) {
        long[] c = new long[K * K];
        double h = 2 * L / (K - 1);
        for (int i = 0; i < x.size(); i++) {
            int col = (int) Math.max(0, Math.min(K - 1, Math.round((x.get(i, 0) + L) / h)));
            int row = (int) Math.max(0, Math.min(K - 1, Math.round((x.get(i, 1) + L) / h)));
            c[row * K + col]++;
        }
        return c;
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static void printChecks(String set, double[] gaps, double[] odeT, double[] sdeT, double floor) {
        OdeSdeGapExperiment.ClaimChecks cc = OdeSdeGapExperiment.claimChecks(set, WEIGHTS, gaps, odeT, sdeT, floor);
        for (Check c : cc.checks()) {
            System.out.println("    " + (c.holds() ? "HOLDS " : "FAILS ") + c.name() + ": " + f(c.measured()) + " vs " + f(c.predicted()));
        }
        System.out.printf(Locale.ROOT, "    verdict %s: gap monotone %s, gap shrinks %s (ratio gap(0)/gap(10) %.2f), ODE improves %s "
                        + "(ratio %.2f), SDE degrades %s -> claim %s%n", set, cc.gapMonotone(), cc.gapShrinks(), gaps[0] / gaps[3],
                cc.odeImproves(), odeT[0] / cc.bestOdeTruthAtWAtMost1(), cc.sdeDegrades(), cc.holds() ? "HOLDS" : "FAILS");
    }

    /** Part A. */
    static void published(Path dir, long seed) throws IOException {
        final long n = 3_000_000L;
        for (String set : new String[] {"blob", "circles", "checker"}) {
            long t0 = System.nanoTime();
            double[] truth = readHist(dir.resolve(set + "_truth.csv"));
            double[] gaps = new double[4];
            double[] odeT = new double[4];
            double[] sdeT = new double[4];
            double bound = 0;
            System.out.println("== " + set + " (P3: " + (set.equals("circles") ? "circles2" : set) + "), 64x64 nodes on [-3.5, 3.5]^2"
                    + (agg > 1 ? " merged to " + K / agg + "x" + K / agg + " blocks" : "") + ", N = 3e6 per histogram");
            System.out.println("  w      W2sq(ODE,SDE)  W2sq(ODE,truth)  W2sq(SDE,truth)");
            for (int k = 0; k < 4; k++) {
                double[] o = readHist(dir.resolve(set + "_ode_" + WKEYS[k] + ".csv"));
                double[] s = readHist(dir.resolve(set + "_sde_" + WKEYS[k] + ".csv"));
                TransportResult g = w2(o, s);
                TransportResult ot = w2(o, truth);
                TransportResult st = w2(s, truth);
                gaps[k] = g.value();
                odeT[k] = ot.value();
                sdeT[k] = st.value();
                bound = Math.max(bound, Math.max(g.errorBound(), Math.max(ot.errorBound(), st.errorBound())));
                System.out.printf(Locale.ROOT, "  %-5s  %-13s  %-15s  %s%n", WKEYS[k], f(gaps[k]), f(odeT[k]), f(sdeT[k]));
            }
            // noise floor at N = 3e6: W2² between two independent multinomial N-samples of the truth histogram (3 pairs)
            SplittableRandom rng = new SplittableRandom(seed);
            double[] fl = new double[2];
            for (int r = 0; r < fl.length; r++) {
                fl[r] = w2(resample(truth, n, rng), resample(truth, n, rng)).value();
            }
            double floor = java.util.Arrays.stream(fl).max().orElseThrow();
            System.out.println("  noise floor W2sq(truth', truth'') at N = 3e6 (multinomial resamples of the truth histogram, 2 pairs): "
                    + f(fl[0]) + " / " + f(fl[1]) + " -> floor = max = " + f(floor)
                    + "; largest OT error bound " + f(bound));
            // pdediff's own data set against P3's truth histogram (same law?)
            Batch ours = DataSpec.parse(set).adding("n", (int) n).adding("seed", seed).load().points();
            long[] oc = binAll(ours);
            double cross = w2(toDouble(oc), truth).value();
            System.out.println("  pdediff's data set '" + set + "' (n = 3e6) vs P3's truth histogram: W2sq = " + f(cross)
                    + " (floor " + f(floor) + ")");
            printChecks(set, gaps, odeT, sdeT, floor);
            System.out.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - t0) * 1e-9);
        }
    }

    /** A P3 network (models.Net: Linear(3, 80) on (t, x1, x2), two Linear(80, 80), Linear(80, 1), Softplus β) as a .pdm. */
    static void convert(Path json, Path out) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode sd = root.get("state_dict");
        double beta = root.get("softplus_beta").asDouble();
        double[][] w0 = mat(sd.get("input.weight"));
        int width = w0.length;
        Architecture arch = new Architecture(2, width, 3, ActivationKind.SOFTPLUS, beta, 6, Parameterisation.POTENTIAL,
                TimeInput.T, InputScaling.RAW, Skip.NONE);
        double[] p = new double[arch.parameterCount()];
        Map<String, Architecture.Tensor> t = new LinkedHashMap<>();
        for (Architecture.Tensor x : arch.tensors()) {
            t.put(x.name(), x);
        }
        // pdediff: h_out = h_in · W (W stored in × out, row-major); torch: h_out = h_in · weightᵀ (weight out × in).
        // P3's input order is (t, x1, x2); pdediff's first layer is split into W0x (x1, x2) and W0t (t).
        for (int j = 0; j < width; j++) {
            p[t.get("W0x").offset() + 0 * width + j] = w0[j][1];
            p[t.get("W0x").offset() + 1 * width + j] = w0[j][2];
            p[t.get("W0t").offset() + j] = w0[j][0];
        }
        putVec(p, t.get("b0"), vec(sd.get("input.bias")));
        putT(p, t.get("W1"), mat(sd.get("hidden1.weight")));
        putVec(p, t.get("b1"), vec(sd.get("hidden1.bias")));
        putT(p, t.get("W2"), mat(sd.get("hidden2.weight")));
        putVec(p, t.get("b2"), vec(sd.get("hidden2.bias")));
        putT(p, t.get("Wout"), mat(sd.get("output.weight")));
        putVec(p, t.get("bout"), vec(sd.get("output.bias")));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("converted_from", root.get("source").asText());
        training.put("note", "P3's published network (models.Net, 100000 iterations), converted by bench/P3CrossCheck.java; "
                + "score = +grad_x of the output, as P3's Net.score");
        String set = json.getFileName().toString().replaceAll("_w.*", "");
        Checkpoint c = new Checkpoint(arch, new Preconditioning(new double[] {0, 0}, 1), new OuSde(1, 1, 10).spec(), "float32",
                set, "", 0, 0, 100_000, training, Map.of(), Instant.now().toString(), Version.VALUE, p, null);
        c.write(out);
    }

    static double[][] mat(JsonNode n) {
        double[][] m = new double[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            m[i] = vec(n.get(i));
        }
        return m;
    }

    static double[] vec(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < n.size(); i++) {
            v[i] = n.get(i).asDouble();
        }
        return v;
    }

    static void putVec(double[] p, Architecture.Tensor t, double[] v) {
        if (v.length != t.size()) {
            throw new IllegalStateException(t.name() + ": " + v.length + " vs " + t.size());
        }
        System.arraycopy(v, 0, p, t.offset(), v.length);
    }

    /** torch weight (out × in) into pdediff's in × out row-major tensor. */
    static void putT(double[] p, Architecture.Tensor t, double[][] w) {
        int in = t.shape()[0];
        int out = t.shape()[1];
        if (w.length != out || w[0].length != in) {
            throw new IllegalStateException(t.name() + ": shape mismatch");
        }
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                p[t.offset() + i * out + j] = w[j][i];
            }
        }
    }

    static void score(Path model, Path points, Path out) throws IOException {
        NeuralScore s = NeuralScore.of(Checkpoint.read(model));
        List<String> lines = Files.readAllLines(points);
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            w.write("phi,s1,s2\n");
            for (String line : lines.subList(1, lines.size())) {
                String[] v = line.split(",");
                double t = Double.parseDouble(v[0]);
                Batch x = Batch.ofRows(new double[] {Double.parseDouble(v[1]), Double.parseDouble(v[2])});
                double phi = s.potential(x, t)[0];
                Batch sc = s.score(x, t);
                w.write(phi + "," + sc.get(0, 0) + "," + sc.get(0, 1) + "\n");
            }
        }
    }

    /** The experiment's two samplers on P3's grid (as OdeSdeGapExperiment.trainAndMeasure; seeds seed and seed + 1). */
    static void sample(Path model, int n, long seed, String prefix) throws Exception {
        NeuralScore s = NeuralScore.of(Checkpoint.read(model));
        TimeGrid grid = SplitTimeGrid.of(10, 790, 100, 0.125, 1e-5);
        SamplingOptions ode = SamplingOptions.builder().kind(SamplerKind.EULER).timeGrid(grid).seed(seed).build();
        SamplingOptions sde = SamplingOptions.builder().kind(SamplerKind.EM).timeGrid(grid).seed(seed + 1).noiselessLastStep(true).build();
        long t0 = System.nanoTime();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var fo = pool.submit(() -> Samplers.fromPrior(s, n, ode, Math.min(n, 20_000)));
        var fs = pool.submit(() -> Samplers.fromPrior(s, n, sde, Math.min(n, 20_000)));
        SampleResult ro = fo.get();
        SampleResult rs = fs.get();
        pool.shutdown();
        write(Path.of(prefix + ".ode.bin"), ro.samples());
        write(Path.of(prefix + ".sde.bin"), rs.samples());
        System.out.printf(Locale.ROOT, "sampled %s: n = %d, ODE nfe %d, SDE nfe %d, %.1f s%n", model.getFileName(), n, ro.nfe(), rs.nfe(),
                (System.nanoTime() - t0) * 1e-9);
    }

    static void write(Path f, Batch x) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(f)))) {
            o.writeInt(x.size());
            for (double v : x.data()) {
                o.writeDouble(v);
            }
        }
    }

    static Batch read(Path f) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
            int n = in.readInt();
            double[] d = new double[2 * n];
            for (int i = 0; i < d.length; i++) {
                d[i] = in.readDouble();
            }
            return Batch.wrap(d, n, 2);
        }
    }

    static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElseThrow();
    }

    static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElseThrow();
    }

    static double outside(Batch x) {
        long o = 0;
        for (int i = 0; i < x.size(); i++) {
            o += Math.abs(x.get(i, 0)) < L && Math.abs(x.get(i, 1)) < L ? 0 : 1;
        }
        return (double) o / x.size();
    }

    static double[] norm(long[] c) {
        double s = 0;
        for (long v : c) {
            s += v;
        }
        double[] w = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            w[i] = c[i] / s;
        }
        return w;
    }

    /**
     * Part B: for each weight, pdediff's ODE and SDE samples of P3's network (P3's discarding, nearest node) against P3's
     * own histogram of the same network and sampler; the floor of that comparison at pdediff's sample size is the W2²
     * between a multinomial resample of P3's histogram (ODE, resp. SDE) at that size and the histogram itself (min and
     * max of 3 draws).
     */
    static void compare(Path hist, Path samples, String set, long seed) throws IOException {
        double[] truth = readHist(hist.resolve(set + "_truth.csv"));
        SplittableRandom rng = new SplittableRandom(seed);
        double[] gaps = new double[4];
        double[] odeT = new double[4];
        double[] sdeT = new double[4];
        long nMin = Long.MAX_VALUE;
        System.out.println("== " + set + ": pdediff's samplers on P3's networks vs P3's published histograms of the same networks"
                + (agg > 1 ? " (OT on " + K / agg + "x" + K / agg + " blocks of P3's 64x64 nodes)" : " (OT on P3's 64x64 nodes)"));
        System.out.println("  w     n(ODE,SDE)  outside ODE / SDE   W2sq(ODE, P3 ODE) (floor: min-max of 3)  W2sq(SDE, P3 SDE) (floor)");
        List<String> table = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Path po = samples.resolve(set + "_w" + WKEYS[k] + ".ode.bin");
            if (!Files.exists(po) || !Files.exists(samples.resolve(set + "_w" + WKEYS[k] + ".sde.bin"))) {
                System.out.println("  " + WKEYS[k] + ": no samples");
                table.clear();
                continue;
            }
            Batch xo = read(po);
            Batch xs = read(samples.resolve(set + "_w" + WKEYS[k] + ".sde.bin"));
            long[] ko = new long[1];
            long[] ks = new long[1];
            long[] co = binInside(xo, ko);
            long[] cs = binInside(xs, ks);
            double[] p3o = readHist(hist.resolve(set + "_ode_" + WKEYS[k] + ".csv"));
            double[] p3s = readHist(hist.resolve(set + "_sde_" + WKEYS[k] + ".csv"));
            double dOde = w2(norm(co), p3o).value();
            double dSde = w2(norm(cs), p3s).value();
            double[] fo = new double[3];
            double[] fs = new double[3];
            for (int r = 0; r < 3; r++) {
                fo[r] = w2(norm(resample(p3o, ko[0], rng)), p3o).value();
                fs[r] = w2(norm(resample(p3s, ks[0], rng)), p3s).value();
            }
            System.out.printf(Locale.ROOT, "  %-5s %d,%d  %.2f%% / %.2f%%      %-9s (floor %s-%s)  %-9s (floor %s-%s)%n", WKEYS[k], ko[0], ks[0],
                    100 * outside(xo), 100 * outside(xs), f(dOde), f(min(fo)), f(max(fo)), f(dSde), f(min(fs)), f(max(fs)));
            gaps[k] = w2(co, cs).value();
            odeT[k] = w2(norm(co), truth).value();
            sdeT[k] = w2(norm(cs), truth).value();
            nMin = Math.min(nMin, Math.min(ko[0], ks[0]));
            table.add(String.format(Locale.ROOT, "  %-5s  %-13s  %-15s  %s", WKEYS[k], f(gaps[k]), f(odeT[k]), f(sdeT[k])));
        }
        if (table.size() < 4) {
            return; // the claim checks need all four weights
        }
        // the experiment's floor: two independent n-samples of the law (here: of P3's truth histogram), 3 pairs, max
        double floor = 0;
        for (int r = 0; r < 3; r++) {
            floor = Math.max(floor, w2(resample(truth, nMin, rng), resample(truth, nMin, rng)).value());
        }
        System.out.println("  the claim's table on pdediff's samples (truth: P3's 3e6 histogram):");
        System.out.println("  w      W2sq(ODE,SDE)  W2sq(ODE,truth)  W2sq(SDE,truth)");
        table.forEach(System.out::println);
        System.out.println("  noise floor W2sq(truth', truth'') at n = " + nMin + " (max of 3 pairs): " + f(floor));
        printChecks(set, gaps, odeT, sdeT, floor);
    }
}
