package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Hashing;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * A trained model on disk, in a code-free format that any language can read:
 * <pre>
 *   8 bytes   magic "PDMODEL1"
 *   4 bytes   header length H (unsigned little-endian int)
 *   H bytes   UTF-8 JSON header
 *   payload   raw little-endian arrays (float32 or float64, as "dtype" says), at the byte offsets the header lists
 * </pre>
 * Header keys: {@code format} ("pdediff-model"), {@code format_version} (1), {@code architecture} {dim, width, depth,
 * activation, softplus_beta, fourier, parameterisation, time_input, input_scaling, skip (absent: none)}, {@code preconditioning} {mean, variance, and for --skip covariance covariance_eigenvalues (K),
 * covariance_basis (d·K, row-major), covariance_rest}, {@code sde} (spec),
 * {@code data} {spec, hash, n}, {@code seed}, {@code step}, {@code dtype}, {@code training} (the configuration),
 * {@code losses}, {@code created}, {@code version}, {@code tensors} [{name, shape, offset, count}], {@code payload_bytes},
 * {@code payload_sha256}. Vector "weights" holds the inference weights (the EMA when EMA was on); vector "params",
 * when present, the optimiser's raw parameters. Files are written atomically; reading checks the magic, the header,
 * the architecture against the tensor table, the payload length and its SHA-256, and refuses with one clear line.
 *
 * @param architecture    the network
 * @param preconditioning the data mean and variance used for the input scaling
 * @param sdeSpec         the canonical spec of the forward SDE the model was trained for
 * @param dtype           "float32" or "float64": how the arrays are stored (and the training precision)
 * @param dataSpec        the training data spec
 * @param dataHash        SHA-256 of the training points
 * @param dataSize        number of training points
 * @param seed            training seed
 * @param step            optimiser steps done
 * @param training        the training configuration (free-form, kept verbatim)
 * @param losses          final losses and validation numbers (free-form, kept verbatim)
 * @param created         ISO-8601 time of training
 * @param version         pdediff version that trained it
 * @param weights         inference weights (flat, layout of {@link Architecture#tensors()})
 * @param params          raw optimiser parameters, or null
 */
public record Checkpoint(Architecture architecture, Preconditioning preconditioning, String sdeSpec, String dtype,
                         String dataSpec, String dataHash, int dataSize, long seed, long step,
                         Map<String, Object> training, Map<String, Object> losses, String created, String version,
                         double[] weights, double[] params) {
    /** The 8-byte magic at the start of every model file. */
    public static final byte[] MAGIC = "PDMODEL1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 16 << 20;

    public Checkpoint {
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("dtype must be float32 or float64, got " + dtype);
        }
        int n = architecture.parameterCount();
        if (weights.length != n || (params != null && params.length != n)) {
            throw new IllegalArgumentException("weight vectors must have length " + n);
        }
        training = training == null ? Map.of() : training;
        losses = losses == null ? Map.of() : losses;
    }

    /** The SDE the model was trained for. */
    public Sde sde() {
        return Sdes.parse(sdeSpec);
    }

    private int bytesPer() {
        return dtype.equals("float32") ? 4 : 8;
    }

    /** The JSON header (without payload bookkeeping). */
    private Map<String, Object> header(byte[] payload) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "pdediff-model");
        h.put("format_version", 1);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("dim", architecture.dim());
        a.put("width", architecture.width());
        a.put("depth", architecture.depth());
        a.put("activation", architecture.activation().key());
        a.put("softplus_beta", architecture.softplusBeta());
        a.put("fourier", architecture.fourier());
        a.put("parameterisation", architecture.parameterisation().key());
        a.put("time_input", architecture.timeInput().key());
        a.put("input_scaling", architecture.inputScaling().key());
        if (architecture.skip() != Skip.NONE) {
            a.put("skip", architecture.skip().key()); // absent = none: files without a skip keep their bytes
        }
        h.put("architecture", a);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mean", preconditioning.mean());
        p.put("variance", preconditioning.variance());
        if (preconditioning.rank() > 0) { // the covariance model of --skip covariance (absent otherwise)
            p.put("covariance_eigenvalues", preconditioning.eigenvalues());
            p.put("covariance_basis", preconditioning.basis());
            p.put("covariance_rest", preconditioning.rest());
        }
        h.put("preconditioning", p);
        h.put("sde", sdeSpec);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("spec", dataSpec);
        d.put("hash", dataHash);
        d.put("n", dataSize);
        h.put("data", d);
        h.put("seed", seed);
        h.put("step", step);
        h.put("dtype", dtype);
        h.put("training", training);
        h.put("losses", losses);
        h.put("created", created);
        h.put("version", version);
        List<Map<String, Object>> tensors = new ArrayList<>();
        long off = 0;
        for (String vec : params == null ? List.of("weights") : List.of("weights", "params")) {
            for (Architecture.Tensor t : architecture.tensors()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", vec + "/" + t.name());
                m.put("shape", t.shape());
                m.put("offset", off);
                m.put("count", t.size());
                tensors.add(m);
                off += (long) t.size() * bytesPer();
            }
        }
        h.put("tensors", tensors);
        h.put("payload_bytes", payload.length);
        h.put("payload_sha256", Hashing.sha256(payload));
        return h;
    }

    private byte[] payload() {
        int n = architecture.parameterCount();
        int vectors = params == null ? 1 : 2;
        ByteBuffer b = ByteBuffer.allocate(n * vectors * bytesPer()).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] v : params == null ? List.of(weights) : List.of(weights, params)) {
            for (double x : v) {
                if (bytesPer() == 4) {
                    b.putFloat((float) x);
                } else {
                    b.putDouble(x);
                }
            }
        }
        return b.array();
    }

    /** The whole file content. */
    public byte[] toBytes() {
        byte[] payload = payload();
        byte[] head;
        try {
            head = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(header(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + head.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(head.length).put(head).put(payload);
        return b.array();
    }

    /** Writes the model atomically. */
    public void write(Path file) {
        byte[] bytes = toBytes();
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a model file, refusing a missing, corrupt, truncated or inconsistent one with one clear line. */
    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("model file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read model file " + file + ": " + e.getMessage());
        }
        return fromBytes(all, file.toString());
    }

    /** Parses the content of a model file; {@code name} is used in messages. */
    @SuppressWarnings("unchecked")
    public static Checkpoint fromBytes(byte[] all, String name) {
        String where = "model file " + name;
        if (all.length < MAGIC.length + 4 || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidInputException(where + " is not a pdediff model (bad magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        long hlen = Integer.toUnsignedLong(b.getInt());
        if (hlen > MAX_HEADER || MAGIC.length + 4 + hlen > all.length) {
            throw new InvalidInputException(where + " is truncated (header of " + hlen + " bytes does not fit in "
                    + all.length + " bytes)");
        }
        int start = MAGIC.length + 4 + (int) hlen;
        Map<String, Object> h;
        try {
            h = Json.MAPPER.readValue(new String(all, MAGIC.length + 4, (int) hlen, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new InvalidInputException(where + " has a corrupt header: " + oneLine(e.getMessage()));
        }
        try {
            if (!"pdediff-model".equals(h.get("format")) || !Integer.valueOf(1).equals(h.get("format_version"))) {
                throw new InvalidInputException(where + ": unsupported format " + h.get("format") + " version " + h.get("format_version"));
            }
            Map<String, Object> a = (Map<String, Object>) req(h, "architecture", where);
            Architecture arch = new Architecture(num(a, "dim", where).intValue(), num(a, "width", where).intValue(),
                    num(a, "depth", where).intValue(), ActivationKind.parse(str(a, "activation", where)),
                    num(a, "softplus_beta", where).doubleValue(), num(a, "fourier", where).intValue(),
                    Parameterisation.parse(str(a, "parameterisation", where)),
                    TimeInput.parse(String.valueOf(a.getOrDefault("time_input", "log-sigma"))),
                    InputScaling.parse(String.valueOf(a.getOrDefault("input_scaling", "preconditioned"))),
                    Skip.parse(String.valueOf(a.getOrDefault("skip", "none"))));
            Map<String, Object> p = (Map<String, Object>) req(h, "preconditioning", where);
            List<Object> meanList = (List<Object>) req(p, "mean", where);
            double[] mean = new double[meanList.size()];
            for (int k = 0; k < mean.length; k++) {
                mean[k] = ((Number) meanList.get(k)).doubleValue();
            }
            if (mean.length != arch.dim()) {
                throw new InvalidInputException(where + ": preconditioning mean has " + mean.length + " entries, dim is " + arch.dim());
            }
            double variance = num(p, "variance", where).doubleValue();
            Preconditioning pre = p.containsKey("covariance_eigenvalues")
                    ? new Preconditioning(mean, variance, doubles(p, "covariance_eigenvalues", where),
                            doubles(p, "covariance_basis", where), num(p, "covariance_rest", where).doubleValue())
                    : new Preconditioning(mean, variance);
            if (arch.skip() == Skip.COVARIANCE && pre.rank() == 0) {
                throw new InvalidInputException(where + ": skip 'covariance' needs the covariance model in 'preconditioning'");
            }
            String sdeSpec = str(h, "sde", where);
            Sdes.parse(sdeSpec);
            Map<String, Object> d = (Map<String, Object>) req(h, "data", where);
            String dtype = str(h, "dtype", where);
            if (!dtype.equals("float32") && !dtype.equals("float64")) {
                throw new InvalidInputException(where + ": unknown dtype " + dtype);
            }
            int per = dtype.equals("float32") ? 4 : 8;
            List<Object> tensors = (List<Object>) req(h, "tensors", where);
            int n = arch.parameterCount();
            int vectors = tensors.size() / arch.tensors().size();
            if (tensors.size() % arch.tensors().size() != 0 || vectors < 1 || vectors > 2) {
                throw new InvalidInputException(where + ": tensor table (" + tensors.size() + " entries) does not match the architecture");
            }
            long off = 0;
            List<Architecture.Tensor> layout = arch.tensors();
            for (int v = 0; v < vectors; v++) {
                for (int ti = 0; ti < layout.size(); ti++) {
                    Architecture.Tensor t = layout.get(ti);
                    Map<String, Object> e = (Map<String, Object>) tensors.get(v * layout.size() + ti);
                    String expect = (v == 0 ? "weights/" : "params/") + t.name();
                    if (!expect.equals(e.get("name")) || num(e, "count", where).intValue() != t.size()
                            || num(e, "offset", where).longValue() != off) {
                        throw new InvalidInputException(where + ": tensor " + e.get("name") + " does not match the architecture (expected "
                                + expect + " with " + t.size() + " values at byte " + off + ")");
                    }
                    off += (long) t.size() * per;
                }
            }
            long payloadBytes = num(h, "payload_bytes", where).longValue();
            if (payloadBytes != off) {
                throw new InvalidInputException(where + ": payload_bytes " + payloadBytes + " does not match the architecture (" + off + ")");
            }
            if (all.length - start < payloadBytes) {
                throw new InvalidInputException(where + " is truncated (payload has " + (all.length - start) + " of " + payloadBytes + " bytes)");
            }
            if (all.length - start > payloadBytes) {
                throw new InvalidInputException(where + " has " + (all.length - start - payloadBytes) + " unexpected bytes after the payload");
            }
            byte[] payload = java.util.Arrays.copyOfRange(all, start, all.length);
            if (!Hashing.sha256(payload).equals(h.get("payload_sha256"))) {
                throw new InvalidInputException(where + " is corrupt (payload SHA-256 does not match the header)");
            }
            ByteBuffer pb = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            double[][] vec = new double[vectors][n];
            for (int v = 0; v < vectors; v++) {
                for (int k = 0; k < n; k++) {
                    double x = per == 4 ? pb.getFloat() : pb.getDouble();
                    if (!Double.isFinite(x)) {
                        throw new InvalidInputException(where + ": non-finite weight at index " + k);
                    }
                    vec[v][k] = x;
                }
            }
            return new Checkpoint(arch, pre, sdeSpec, dtype, str(d, "spec", where), str(d, "hash", where),
                    num(d, "n", where).intValue(), num(h, "seed", where).longValue(), num(h, "step", where).longValue(),
                    (Map<String, Object>) h.getOrDefault("training", Map.of()), (Map<String, Object>) h.getOrDefault("losses", Map.of()),
                    String.valueOf(h.get("created")), String.valueOf(h.get("version")), vec[0], vectors == 2 ? vec[1] : null);
        } catch (ClassCastException | NullPointerException e) {
            throw new InvalidInputException(where + " has a malformed header (" + e.getClass().getSimpleName() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static double[] doubles(Map<String, Object> m, String key, String where) {
        List<Object> list = (List<Object>) req(m, key, where);
        double[] out = new double[list.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ((Number) list.get(k)).doubleValue();
        }
        return out;
    }

    private static Object req(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new InvalidInputException(where + ": header lacks '" + key + "'");
        }
        return v;
    }

    private static Number num(Map<String, Object> m, String key, String where) {
        Object v = req(m, key, where);
        if (!(v instanceof Number n)) {
            throw new InvalidInputException(where + ": header key '" + key + "' is not a number");
        }
        return n;
    }

    private static String str(Map<String, Object> m, String key, String where) {
        return String.valueOf(req(m, key, where));
    }

    private static String oneLine(String s) {
        return s == null ? "error" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
