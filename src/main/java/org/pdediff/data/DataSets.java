package org.pdediff.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.core.Spec;

/**
 * The data-set catalogue, addressed by spec strings {@code NAME[:key=value,...]}. Every set takes {@code n} and
 * {@code seed}; point i is drawn from particle stream i, so the first points of a set do not depend on n.
 *
 * <table>
 * <caption>Catalogue</caption>
 * <tr><th>name</th><th>keys (defaults)</th><th>what</th></tr>
 * <tr><td>gaussian</td><td>d=2, mean=0, std=1</td><td>N(mean·1, std² I); law known</td></tr>
 * <tr><td>gmm</td><td>k=8, radius=2, std=0.1</td><td>k equal Gaussians centred on a circle (d = 2); law known</td></tr>
 * <tr><td>blob</td><td></td><td>P3's 9 Gaussians (MATH.md §6); law known</td></tr>
 * <tr><td>circles</td><td></td><td>P3's two noisy rings (MATH.md §6)</td></tr>
 * <tr><td>checker</td><td></td><td>P3's 8 squares of side 1.5 on [−3, 3]² (MATH.md §6); support known</td></tr>
 * <tr><td>moons</td><td>noise=0.05</td><td>two interleaved half circles, centred</td></tr>
 * <tr><td>swissroll</td><td>noise=0.05</td><td>the 2-D swiss roll, scaled by 1/5</td></tr>
 * <tr><td>spiral</td><td>noise=0.05</td><td>a 1.5-turn Archimedean spiral of radius up to 2.5</td></tr>
 * <tr><td>circle</td><td>radius=1, noise=0</td><td>uniform on a circle: a 1-D manifold in 2-D; support known if noise = 0</td></tr>
 * <tr><td>sphere</td><td>d=3, radius=1</td><td>uniform on the sphere S^{d−1}; support known</td></tr>
 * <tr><td>points</td><td>d=2, low=−1, high=1, n=16</td><td>n uniform random points: the finite-data case; support = the points</td></tr>
 * <tr><td>digits</td><td>n=1797</td><td>the 8×8 UCI digits scaled to [−1, 1] (d = 64); n &lt; 1797 takes a seeded subset</td></tr>
 * <tr><td>fashion-mnist</td><td>split=train, n=all, seed=0, classes=all</td><td>Fashion-MNIST 28×28 images scaled to
 * [−1, 1] (d = 784) from the Debian package {@code dataset-fashion-mnist} or {@code PDEDIFF_DATA} ({@link FashionMnist});
 * split train (60,000) or test (10,000); classes a '+'-joined list or a range of labels 0..9 (e.g. 0+7, 5-9); n smaller
 * than the images of those classes takes a seeded subset in original order</td></tr>
 * <tr><td>file:PATH.csv</td><td></td><td>a numeric CSV, optional header; first n rows if n is given</td></tr>
 * </table>
 */
public final class DataSets {
    /** Names accepted by {@link #parse(String)}. */
    public static final String NAMES = "gaussian, gmm, blob, circles, checker, moons, swissroll, spiral, circle, sphere, points, digits, fashion-mnist, file:PATH.csv";

    /** P3's checker squares: lower-left corners, side 1.5. */
    static final double[][] CHECKER = {{-3, -3}, {0, -3}, {-1.5, -1.5}, {1.5, -1.5}, {-3, 0}, {0, 0}, {-1.5, 1.5}, {1.5, 1.5}};

    private static final int DEFAULT_N = 2000;

    private DataSets() {
    }

    /** Builds a data set from its spec. */
    public static DataSet parse(String text) {
        Spec s = Spec.parse(text);
        if (s.name().equals("file")) {
            return file(s);
        }
        if (s.name().equals("fashion-mnist")) {
            return fashionMnist(s);
        }
        int nDefault = switch (s.name()) {
            case "points" -> 16;
            case "digits" -> 1797;
            default -> DEFAULT_N;
        };
        int n = s.getIntAtLeast("n", nDefault, 1);
        long seed = s.getLong("seed", 0);
        RandomStream rng = RandomStream.of(seed).derive("data:" + s.name());
        Map<String, Object> canon = new LinkedHashMap<>();
        canon.put("n", n);
        canon.put("seed", seed);
        DataSet ds = switch (s.name()) {
            case "gaussian" -> {
                int d = s.getIntAtLeast("d", 2, 1);
                if (d > GaussianMixture.MAX_DENSE_DIM) {
                    throw new InvalidInputException("gaussian: d = " + d + " needs dense " + d + " x " + d + " covariances"
                            + " (the law's Cholesky factor, its analytic scores); the limit is d = " + GaussianMixture.MAX_DENSE_DIM);
                }
                double mean = s.getDouble("mean", 0);
                double std = s.getPositive("std", 1);
                canon.put("d", d);
                canon.put("mean", mean);
                canon.put("std", std);
                double[][] mu = {filled(d, mean)};
                GaussianMixture law = GaussianMixture.isotropic(mu, std);
                yield make(s, canon, law.sample(n, rng), law, null);
            }
            case "gmm" -> {
                int k = s.getIntAtLeast("k", 8, 1);
                double radius = s.getDouble("radius", 2);
                double std = s.getPositive("std", 0.1);
                canon.put("k", k);
                canon.put("radius", radius);
                canon.put("std", std);
                double[][] mu = new double[k][];
                for (int c = 0; c < k; c++) {
                    double a = 2 * Math.PI * c / k;
                    mu[c] = new double[] {radius * Math.cos(a), radius * Math.sin(a)};
                }
                GaussianMixture law = GaussianMixture.isotropic(mu, std);
                yield make(s, canon, law.sample(n, rng), law, null);
            }
            case "blob" -> {
                double[][] c = {{2, 2}, {2, -2}, {-2, 2}, {-2, -2}, {0, 0}, {4, 0}, {-4, 0}, {0, 4}, {0, -4}};
                for (double[] m : c) {
                    m[0] *= 0.65;
                    m[1] *= 0.65;
                }
                GaussianMixture law = GaussianMixture.isotropic(c, Math.sqrt(0.0845));
                yield make(s, canon, law.sample(n, rng), law, null);
            }
            case "circles" -> make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                double mu = (i % 2 == 0) ? 0.65 : 1.4;
                double r = 2 * (mu + 0.1 * z.normal(i, 0));
                double a = 2 * Math.PI * u.uniform(i, 0);
                out[0] = r * Math.cos(a);
                out[1] = r * Math.sin(a);
            }), null, null);
            case "checker" -> make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                int k = Math.min(7, (int) (8 * u.uniform(i, 0)));
                out[0] = CHECKER[k][0] + 1.5 * u.uniform(i, 1);
                out[1] = CHECKER[k][1] + 1.5 * u.uniform(i, 2);
            }), null, Support.squares(CHECKER, 1.5));
            case "moons" -> {
                double noise = nonNegative(s, "noise", 0.05);
                canon.put("noise", noise);
                yield make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                    double a = Math.PI * u.uniform(i, 0);
                    if (i % 2 == 0) {
                        out[0] = Math.cos(a) - 0.5;
                        out[1] = Math.sin(a) - 0.25;
                    } else {
                        out[0] = 1 - Math.cos(a) - 0.5;
                        out[1] = 0.5 - Math.sin(a) - 0.25;
                    }
                    out[0] += noise * z.normal(i, 0);
                    out[1] += noise * z.normal(i, 1);
                }), null, null);
            }
            case "swissroll" -> {
                double noise = nonNegative(s, "noise", 0.05);
                canon.put("noise", noise);
                yield make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                    double a = 1.5 * Math.PI * (1 + 2 * u.uniform(i, 0));
                    out[0] = a * Math.cos(a) / 5 + noise * z.normal(i, 0);
                    out[1] = a * Math.sin(a) / 5 + noise * z.normal(i, 1);
                }), null, null);
            }
            case "spiral" -> {
                double noise = nonNegative(s, "noise", 0.05);
                canon.put("noise", noise);
                yield make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                    double a = 3 * Math.PI * Math.sqrt(u.uniform(i, 0));
                    double r = 2.5 * a / (3 * Math.PI);
                    out[0] = r * Math.cos(a) + noise * z.normal(i, 0);
                    out[1] = r * Math.sin(a) + noise * z.normal(i, 1);
                }), null, null);
            }
            case "circle" -> {
                double radius = s.getPositive("radius", 1);
                double noise = nonNegative(s, "noise", 0);
                canon.put("radius", radius);
                canon.put("noise", noise);
                yield make(s, canon, generate(n, 2, rng, (i, u, z, out) -> {
                    double a = 2 * Math.PI * u.uniform(i, 0);
                    out[0] = radius * Math.cos(a) + noise * z.normal(i, 0);
                    out[1] = radius * Math.sin(a) + noise * z.normal(i, 1);
                }), null, noise == 0 ? Support.sphere(radius) : null);
            }
            case "sphere" -> {
                int d = s.getIntAtLeast("d", 3, 2);
                double radius = s.getPositive("radius", 1);
                canon.put("d", d);
                canon.put("radius", radius);
                yield make(s, canon, generate(n, d, rng, (i, u, z, out) -> {
                    double norm = 0;
                    for (int j = 0; j < d; j++) {
                        out[j] = z.normal(i, j);
                        norm += out[j] * out[j];
                    }
                    norm = Math.sqrt(norm);
                    for (int j = 0; j < d; j++) {
                        out[j] *= radius / norm;
                    }
                }), null, Support.sphere(radius));
            }
            case "points" -> {
                int d = s.getIntAtLeast("d", 2, 1);
                double low = s.getDouble("low", -1);
                double high = s.getDouble("high", 1);
                if (!(high > low)) {
                    throw new InvalidInputException("points: need high > low, got low=" + low + ", high=" + high);
                }
                canon.put("d", d);
                canon.put("low", low);
                canon.put("high", high);
                Batch b = generate(n, d, rng, (i, u, z, out) -> {
                    for (int j = 0; j < d; j++) {
                        out[j] = low + (high - low) * u.uniform(i, j);
                    }
                });
                yield make(s, canon, b, null, Support.points(b));
            }
            case "digits" -> {
                if (n > 1797) {
                    throw new InvalidInputException("digits: n must be <= 1797, got " + n);
                }
                yield make(s, canon, digits(n, rng), null, null);
            }
            default -> throw new InvalidInputException("unknown data set '" + s.name() + "' (known: " + NAMES + ")");
        };
        s.requireAllUsed("data set");
        return ds;
    }

    /**
     * A fresh sample of the law of a generated data set: the same spec with {@code n} and {@code seed} replaced (its
     * points come from the stream of that seed, so they are independent of the original set's). For training with
     * fresh data draws each step (P3, MATH.md §6). Refused for data sets that are a fixed list of points rather than
     * draws from a law: file, digits, fashion-mnist and points (whose law is its own sample).
     */
    public static DataSet redraw(DataSet ds, int n, long seed) {
        Spec s = Spec.parse(ds.spec());
        if (!isLaw(s.name())) {
            throw new InvalidInputException("data set '" + s.name() + "' is a fixed list of points, not a law: fresh draws need a generated data set (e.g. blob, moons, checker)");
        }
        StringBuilder sb = new StringBuilder(s.name()).append(":n=").append(n).append(",seed=").append(seed);
        for (Map.Entry<String, String> e : s.params().entrySet()) {
            if (!e.getKey().equals("n") && !e.getKey().equals("seed")) {
                sb.append(',').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        return parse(sb.toString());
    }

    /**
     * Pool size per requested point in {@link #iidSample}: the pool is a balanced draw, and a uniform n-subset of a
     * pool of F·n points has component counts of variance (1 − (n − 1)/(F·n − 1)) times the iid one, 0.984 for F = 64.
     */
    public static final int IID_POOL_FACTOR = 64;

    /**
     * n independent draws of the law of a generated data set. Some generators stratify their components (moons and
     * circles alternate their two components, so every set holds exactly n/2 of each, as scikit-learn's do); a
     * sampler cannot: its component counts are Binomial(n, 1/2). For a reference of what an ideal sampler reaches
     * (e.g. the demo's generalisation check) this takes a uniform random n-subset of one fresh draw of
     * {@link #IID_POOL_FACTOR}·n points (seed {@code seed}): the points are draws of the law, and the component
     * counts are hypergeometric, within 1.6% of the binomial variance. Refused for data sets that are not a law
     * (see {@link #redraw}).
     */
    public static Batch iidSample(DataSet ds, int n, long seed) {
        if (n < 1) {
            throw new InvalidInputException("iid sample: n must be >= 1, got " + n);
        }
        Batch pool = redraw(ds, Math.multiplyExact(n, IID_POOL_FACTOR), seed).points();
        return seededSubset(pool, n, RandomStream.of(seed).derive("data:iid-subset"));
    }

    /** Whether the named data set is drawn from a law (so {@link #redraw} can draw more of it). */
    public static boolean isLaw(String name) {
        return !(name.equals("file") || name.equals("digits") || name.equals("fashion-mnist") || name.equals("points"));
    }

    /** Per-point generator: fills {@code out} (length d) for point {@code i} from uniforms u and normals z. */
    @FunctionalInterface
    private interface PointMaker {
        void make(int i, RandomStream u, RandomStream z, double[] out);
    }

    private static Batch generate(int n, int d, RandomStream rng, PointMaker maker) {
        RandomStream u = rng.derive("u");
        RandomStream z = rng.derive("z");
        Batch b = Batch.zeros(n, d);
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            maker.make(i, u, z, row);
            System.arraycopy(row, 0, b.data(), i * d, d);
        }
        return b;
    }

    private static DataSet make(Spec s, Map<String, Object> canon, Batch points, GaussianMixture law, Support support) {
        StringBuilder sb = new StringBuilder(s.name());
        char sep = ':';
        for (Map.Entry<String, Object> e : canon.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ',';
        }
        return new DataSet(sb.toString(), points, Optional.ofNullable(law), Optional.ofNullable(support));
    }

    private static double nonNegative(Spec s, String key, double dflt) {
        double v = s.getDouble(key, dflt);
        if (v < 0) {
            throw new InvalidInputException(s.name() + ": " + key + " must be >= 0, got " + v);
        }
        return v;
    }

    private static double[] filled(int d, double v) {
        double[] a = new double[d];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /**
     * {@code file:PATH[,n=K][,seed=S]}: the CSV's rows; with {@code n}, the first n rows, or with {@code n} and
     * {@code seed} a seeded uniform subset of n rows (order kept, as for digits). Asking for more rows than the file
     * has, or for any other key, is an error. A trailing {@code ,key=value} is an option unless the whole text
     * names an existing file.
     */
    private static DataSet file(Spec s) {
        String rest = s.rest();
        Integer n = null;
        Long seed = null;
        java.util.regex.Pattern opt = java.util.regex.Pattern.compile("(?s)(.*),\\s*([A-Za-z_]+)\\s*=([^,]*)");
        for (java.util.regex.Matcher m = opt.matcher(rest); !Files.exists(Path.of(rest.strip())) && m.matches();
                m = opt.matcher(rest)) {
            String key = m.group(2);
            String v = m.group(3).strip();
            try {
                switch (key) {
                    case "n" -> {
                        if (n != null) {
                            throw new InvalidInputException("file: key 'n' given twice");
                        }
                        n = Integer.parseInt(v);
                    }
                    case "seed" -> {
                        if (seed != null) {
                            throw new InvalidInputException("file: key 'seed' given twice");
                        }
                        seed = Long.parseLong(v);
                    }
                    default -> throw new InvalidInputException("unknown key '" + key + "' for data set 'file' (known: n, seed)");
                }
            } catch (NumberFormatException e) {
                throw new InvalidInputException("file: " + key + "=" + v + " is not an integer");
            }
            rest = m.group(1);
        }
        if (rest.isBlank()) {
            throw new InvalidInputException("file: give a path, e.g. file:points.csv");
        }
        if (n != null && n < 1) {
            throw new InvalidInputException("file: n must be >= 1, got " + n);
        }
        Batch b = Csv.read(Path.of(rest.strip()));
        if (n != null) {
            if (n > b.size()) {
                throw new InvalidInputException("file: n=" + n + " asks for more rows than " + rest.strip() + " has ("
                        + b.size() + ")");
            }
            if (seed == null) {
                b = b.rows(0, n);
            } else {
                b = seededSubset(b, n, RandomStream.of(seed).derive("data:file"));
            }
        }
        // the spec keeps n and seed so that it rebuilds the same points (provenance)
        return new DataSet("file:" + rest + (n == null ? "" : ",n=" + n) + (seed == null ? "" : ",seed=" + seed), b,
                Optional.empty(), Optional.empty());
    }

    /** n rows of {@code all} with the smallest random keys: a uniform random subset, order kept. */
    private static Batch seededSubset(Batch all, int n, RandomStream rng) {
        int total = all.size();
        int d = all.dim();
        Integer[] idx = new Integer[total];
        double[] key = new double[total];
        for (int i = 0; i < total; i++) {
            idx[i] = i;
            key[i] = rng.uniform(i, 0);
        }
        java.util.Arrays.sort(idx, (x, y) -> Double.compare(key[x], key[y]));
        int[] pick = new int[n];
        for (int i = 0; i < n; i++) {
            pick[i] = idx[i];
        }
        java.util.Arrays.sort(pick);
        Batch out = Batch.zeros(n, d);
        for (int i = 0; i < n; i++) {
            System.arraycopy(all.data(), pick[i] * d, out.data(), i * d, d);
        }
        return out;
    }

    /** {@code fashion-mnist[:split=train|test,n=K,seed=S,classes=…]} (see {@link FashionMnist}). */
    private static DataSet fashionMnist(Spec s) {
        String splitName = s.getString("split", "train").strip().toLowerCase(java.util.Locale.ROOT);
        FashionMnist.Split split = switch (splitName) {
            case "train" -> FashionMnist.Split.TRAIN;
            case "test" -> FashionMnist.Split.TEST;
            default -> throw new InvalidInputException("fashion-mnist: split must be train or test, got '" + splitName + "'");
        };
        String classText = s.getString("classes", "");
        boolean[] classes = FashionMnist.parseClasses(classText);
        long seed = s.getLong("seed", 0);
        boolean hasN = s.has("n");
        int n = s.getIntAtLeast("n", 1, 1);
        s.requireAllUsed("data set");
        RandomStream rng = RandomStream.of(seed).derive("data:fashion-mnist:" + splitName);
        FashionMnist.Raw raw = FashionMnist.raw(split);
        if (!hasN) {
            n = 0;
            for (byte l : raw.labels()) {
                n += classes[l & 0xff] ? 1 : 0;
            }
        }
        Batch b = FashionMnist.load(split, classes, n, rng, null);
        StringBuilder canon = new StringBuilder("fashion-mnist:split=").append(splitName).append(",n=").append(n).append(",seed=").append(seed);
        if (!classText.isBlank()) {
            StringBuilder cs = new StringBuilder();
            for (int c = 0; c < 10; c++) {
                if (classes[c]) {
                    cs.append(cs.length() == 0 ? "" : "+").append(c);
                }
            }
            canon.append(",classes=").append(cs);
        }
        return new DataSet(canon.toString(), b, Optional.empty(), Optional.empty());
    }

    /** The vendored digits, scaled x/8 − 1 into [−1, 1]; a seeded subset of n rows when n < 1797. */
    static Batch digits(int n, RandomStream rng) {
        Batch all;
        try (InputStream raw = DataSets.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("digits resource missing from the jar");
            }
            all = Csv.read(new GZIPInputStream(raw), "digits.csv.gz", 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the digits resource", e);
        }
        double[] a = all.data();
        for (int k = 0; k < a.length; k++) {
            a[k] = a[k] / 8.0 - 1.0;
        }
        if (n == all.size()) {
            return all;
        }
        return seededSubset(all, n, rng);
    }
}
