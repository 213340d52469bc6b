package org.pdediff.data;

import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; © Zalando SE, MIT licence): 60,000 training and 10,000 test images
 * of 28×28 grey pixels in ten classes, read from the four IDX files of the Debian package
 * {@code dataset-fashion-mnist} ({@value #DEBIAN_DIR}) or of a folder named by {@code PDEDIFF_DATA} (the files
 * either in it or in its {@code fashion-mnist/} subfolder; {@code PDEDIFF_DATA} is searched first). Pixels p ∈ 0..255
 * are scaled to p/127.5 − 1 ∈ [−1, 1] (d = 784, row-major 28×28).
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** The environment variable naming another data folder. */
    public static final String ENV = "PDEDIFF_DATA";
    /** Image side. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int DIM = SIDE * SIDE;
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** One line telling how to get the data. */
    public static final String INSTALL_HINT = "install it with 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu), "
            + "or put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
            + "t10k-labels-idx1-ubyte.gz in a folder named by " + ENV;

    /** Which half of the data. */
    public enum Split {
        TRAIN("train", 60_000),
        TEST("t10k", 10_000);

        private final String prefix;
        private final int size;

        Split(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        /** Number of images in the split. */
        public int size() {
            return size;
        }
    }

    /**
     * The decoded images and labels of a split.
     *
     * @param pixels n × 784 unsigned bytes, row-major
     * @param labels n labels 0..9
     * @param folder where they were read from
     */
    public record Raw(byte[] pixels, byte[] labels, Path folder) {
        public int size() {
            return labels.length;
        }
    }

    private static final Map<Split, SoftReference<Raw>> CACHE = new ConcurrentHashMap<>();

    private FashionMnist() {
    }

    /**
     * The folders searched, in order: $PDEDIFF_DATA/fashion-mnist, $PDEDIFF_DATA, then the Debian folder (which the
     * system property {@code pdediff.fashion-mnist.system-dir} replaces, for tests of the missing-data path).
     */
    public static List<Path> searchPath() {
        List<Path> out = new ArrayList<>();
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env, "fashion-mnist"));
            out.add(Path.of(env));
        }
        out.add(Path.of(System.getProperty("pdediff.fashion-mnist.system-dir", DEBIAN_DIR)));
        return out;
    }

    /** The folder holding both files of {@code split}, if any. */
    public static java.util.Optional<Path> locate(Split split) {
        for (Path dir : searchPath()) {
            if (file(dir, split, "images-idx3-ubyte") != null && file(dir, split, "labels-idx1-ubyte") != null) {
                return java.util.Optional.of(dir);
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether both splits are present. */
    public static boolean available() {
        return locate(Split.TRAIN).isPresent() && locate(Split.TEST).isPresent();
    }

    private static Path file(Path dir, Split split, String stem) {
        for (String ext : new String[] {".gz", ""}) {
            Path p = dir.resolve(split.prefix + "-" + stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Reads (or returns the cached) images and labels of a split; throws a one-line error when missing or malformed. */
    public static Raw raw(Split split) {
        SoftReference<Raw> ref = CACHE.get(split);
        Raw r = ref == null ? null : ref.get();
        if (r != null) {
            return r;
        }
        Path dir = locate(split).orElseThrow(() -> new InvalidInputException("fashion-mnist: the " + split.name().toLowerCase(java.util.Locale.ROOT)
                + " files are not in " + String.join(" or ", searchPath().stream().map(Path::toString).toList()) + "; " + INSTALL_HINT));
        Path imagesFile = file(dir, split, "images-idx3-ubyte");
        Path labelsFile = file(dir, split, "labels-idx1-ubyte");
        Idx.UByteArray images = Idx.read(imagesFile);
        Idx.requireShape(images, imagesFile.toString(), -1, SIDE, SIDE);
        Idx.UByteArray labels = Idx.read(labelsFile);
        Idx.requireShape(labels, labelsFile.toString(), -1);
        if (images.dim(0) != labels.dim(0)) {
            throw new InvalidInputException("fashion-mnist: " + imagesFile + " has " + images.dim(0) + " images but "
                    + labelsFile + " has " + labels.dim(0) + " labels");
        }
        for (byte l : labels.values()) {
            if ((l & 0xff) > 9) {
                throw new InvalidInputException(labelsFile + ": label " + (l & 0xff) + " is not a class 0..9");
            }
        }
        r = new Raw(images.values(), labels.values(), dir);
        CACHE.put(split, new SoftReference<>(r));
        return r;
    }

    /**
     * Parses a class list such as {@code 0+7+9} or {@code 5-9} ('+' or ';' separate, '-' gives a range) into a mask
     * of the ten classes; blank means all.
     */
    public static boolean[] parseClasses(String text) {
        boolean[] keep = new boolean[10];
        if (text == null || text.isBlank()) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        for (String part : text.split("[+;]")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                if (lo < 0 || hi > 9 || lo > hi) {
                    throw new NumberFormatException();
                }
                for (int c = lo; c <= hi; c++) {
                    keep[c] = true;
                }
            } catch (NumberFormatException e) {
                throw new InvalidInputException("fashion-mnist: classes must be labels 0..9 joined by '+' or ranges a-b, e.g. "
                        + "classes=0+7 or classes=5-9; got '" + text + "'");
            }
        }
        return keep;
    }

    /**
     * The images of {@code split} whose class is in {@code classes}, scaled to [−1, 1]; when {@code n} is smaller than
     * their number, a seeded uniform subset of n of them in their original order (the n with the smallest keys
     * u_i of the stream {@code rng}, i the index in the split, so the subset does not depend on the class filter's
     * implementation). {@code indexOut}, when not null, receives the split index of every row.
     */
    public static Batch load(Split split, boolean[] classes, int n, RandomStream rng, int[] indexOut) {
        Raw raw = raw(split);
        int total = raw.size();
        int[] cand = new int[total];
        int m = 0;
        for (int i = 0; i < total; i++) {
            if (classes[raw.labels()[i] & 0xff]) {
                cand[m++] = i;
            }
        }
        if (m == 0) {
            throw new InvalidInputException("fashion-mnist: no image of the chosen classes");
        }
        if (n > m) {
            throw new InvalidInputException("fashion-mnist: n=" + n + " but the " + split.name().toLowerCase(java.util.Locale.ROOT)
                    + " split has only " + m + " images of the chosen classes");
        }
        int[] pick;
        if (n == m) {
            pick = java.util.Arrays.copyOf(cand, m);
        } else {
            long[] keyed = new long[m];
            for (int q = 0; q < m; q++) {
                // sort by the key's bits (uniform in [0,1) is monotone in them), ties broken by index
                long bits = Double.doubleToLongBits(rng.uniform(cand[q], 0));
                keyed[q] = bits;
            }
            Integer[] order = new Integer[m];
            for (int q = 0; q < m; q++) {
                order[q] = q;
            }
            java.util.Arrays.sort(order, (a, b) -> keyed[a] != keyed[b] ? Long.compare(keyed[a], keyed[b]) : Integer.compare(a, b));
            pick = new int[n];
            for (int q = 0; q < n; q++) {
                pick[q] = cand[order[q]];
            }
            java.util.Arrays.sort(pick);
        }
        Batch out = Batch.zeros(n, DIM);
        double[] o = out.data();
        byte[] px = raw.pixels();
        for (int r = 0; r < n; r++) {
            int src = pick[r] * DIM;
            int dst = r * DIM;
            for (int k = 0; k < DIM; k++) {
                o[dst + k] = (px[src + k] & 0xff) / 127.5 - 1.0;
            }
            if (indexOut != null) {
                indexOut[r] = pick[r];
            }
        }
        return out;
    }

    /** Forgets the decoded files (tests). */
    static void clearCache() {
        CACHE.clear();
    }

    /** The label of image {@code index} of a split. */
    public static int label(Split split, int index) {
        return raw(split).labels()[index] & 0xff;
    }
}
