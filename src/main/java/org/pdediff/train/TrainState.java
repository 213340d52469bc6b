package org.pdediff.train;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Hashing;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;

/**
 * Everything a training needs to continue exactly where it stopped: the step, the optimiser's master parameters, the
 * EMA and Adam's two moment vectors, all in float64, and the fingerprint of the run they belong to (data hash, SDE,
 * architecture and training configuration without the step count). A training resumed from step k gives the same
 * bits as one that ran through (the batches, times and noise of a step depend only on the seed and the step).
 *
 * <p>File ({@code STEM.state} beside the model {@code STEM.pdm}): 8 bytes magic "PDSTATE1", 4-byte little-endian
 * header length, UTF-8 JSON header {format, format_version, step, parameters, fingerprint, payload_sha256}, then
 * 4 × parameters float64 values (params, ema, adam_m, adam_v).
 *
 * @param step        optimiser steps done
 * @param params      master parameters
 * @param ema         EMA of the parameters
 * @param m           Adam's first moment
 * @param v           Adam's second moment
 * @param fingerprint what must match for a resume
 */
public record TrainState(long step, double[] params, double[] ema, double[] m, double[] v, Map<String, Object> fingerprint) {
    private static final byte[] MAGIC = "PDSTATE1".getBytes(StandardCharsets.US_ASCII);

    public TrainState {
        int n = params.length;
        if (ema.length != n || m.length != n || v.length != n || step < 0) {
            throw new IllegalArgumentException("inconsistent training state");
        }
        params = params.clone();
        ema = ema.clone();
        m = m.clone();
        v = v.clone();
        fingerprint = Map.copyOf(fingerprint);
    }

    /** The state file beside a model file: {@code dir/STEM.state}. */
    public static Path besideModel(Path model) {
        String name = model.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return model.toAbsolutePath().resolveSibling(name + ".state");
    }

    /** Writes the state atomically. */
    public void write(Path file) {
        int n = params.length;
        ByteBuffer p = ByteBuffer.allocate(4 * n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] vec : new double[][] {params, ema, m, v}) {
            for (double x : vec) {
                p.putDouble(x);
            }
        }
        byte[] payload = p.array();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "pdediff-train-state");
        h.put("format_version", 1);
        h.put("step", step);
        h.put("parameters", n);
        h.put("fingerprint", fingerprint);
        h.put("payload_sha256", Hashing.sha256(payload));
        byte[] head;
        try {
            head = Json.MAPPER.writeValueAsBytes(h);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + head.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(head.length).put(head).put(payload);
        byte[] all = b.array();
        AtomicFiles.write(file, out -> out.write(all));
    }

    /** Reads a state file, refusing a missing, corrupt or truncated one with one line (exit 2). */
    @SuppressWarnings("unchecked")
    public static TrainState read(Path file) {
        String where = "training state " + file;
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(where + " does not exist (models are resumable when trained by this version;"
                    + " the state is written beside the model as STEM.state)");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + where + ": " + e.getMessage());
        }
        if (all.length < MAGIC.length + 4 || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidInputException(where + " is not a pdediff training state (bad magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        long hlen = Integer.toUnsignedLong(b.getInt());
        if (MAGIC.length + 4 + hlen > all.length) {
            throw new InvalidInputException(where + " is truncated");
        }
        Map<String, Object> h;
        try {
            h = Json.MAPPER.readValue(new String(all, MAGIC.length + 4, (int) hlen, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            int n = ((Number) h.get("parameters")).intValue();
            long step = ((Number) h.get("step")).longValue();
            int start = MAGIC.length + 4 + (int) hlen;
            if (n < 1 || all.length - start != 32L * n) {
                throw new InvalidInputException(where + " is truncated or has a wrong size");
            }
            byte[] payload = java.util.Arrays.copyOfRange(all, start, all.length);
            if (!Hashing.sha256(payload).equals(h.get("payload_sha256"))) {
                throw new InvalidInputException(where + " is corrupt (payload SHA-256 does not match the header)");
            }
            ByteBuffer pb = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            double[][] vec = new double[4][n];
            for (double[] vv : vec) {
                for (int k = 0; k < n; k++) {
                    vv[k] = pb.getDouble();
                }
            }
            return new TrainState(step, vec[0], vec[1], vec[2], vec[3], (Map<String, Object>) h.get("fingerprint"));
        } catch (IOException | ClassCastException | NullPointerException e) {
            throw new InvalidInputException(where + " has a malformed header");
        }
    }

    @Override
    public double[] params() {
        return params.clone();
    }

    @Override
    public double[] ema() {
        return ema.clone();
    }

    @Override
    public double[] m() {
        return m.clone();
    }

    @Override
    public double[] v() {
        return v.clone();
    }
}
