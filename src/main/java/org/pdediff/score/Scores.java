package org.pdediff.score;

import org.pdediff.core.InvalidInputException;
import org.pdediff.data.DataSet;
import org.pdediff.sde.Sde;

/**
 * Builds a score from a name: {@code exact[:backend=auto|java|torch]} (the finite-sample score M10 of the data set), {@code gmm} (the analytic
 * score M11 of the data set's law, for gaussian, gmm and blob), {@code torchscript:PATH[:output=,time=,dtype=]} (a network
 * exported from PyTorch, see {@link org.pdediff.score.torchscript.TorchScriptScore}). Neural scores ({@code model:PATH}) are resolved by
 * the layers above through {@link #register(String, Factory)}.
 */
public final class Scores {
    /** Builds a score for a data set and SDE from the part of the spec after the name. */
    @FunctionalInterface
    public interface Factory {
        ScoreModel create(String argument, DataSet data, Sde sde);
    }

    private static final java.util.Map<String, Factory> EXTRA = new java.util.concurrent.ConcurrentHashMap<>();

    private Scores() {
    }

    /** Registers a score kind, e.g. {@code model} for checkpoints (done by the train package). */
    public static void register(String name, Factory factory) {
        EXTRA.put(name, factory);
    }

    public static ScoreModel create(String spec, DataSet data, Sde sde) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
        String arg = colon < 0 ? "" : s.substring(colon + 1);
        switch (name) {
            case "exact": {
                FiniteDataScore.Backend backend = FiniteDataScore.Backend.AUTO;
                if (!arg.isBlank()) {
                    org.pdediff.core.Spec sp = org.pdediff.core.Spec.parse("exact:" + arg);
                    String b = sp.getString("backend", "auto");
                    sp.requireAllUsed("score");
                    try {
                        backend = FiniteDataScore.Backend.valueOf(b.toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException("exact: backend must be auto, java or torch, got '" + b + "'");
                    }
                }
                return new FiniteDataScore(sde, data.points(), backend);
            }
            case "torchscript":
                return org.pdediff.score.torchscript.TorchScriptScores.create(arg, data, sde);
            case "gmm":
            case "analytic":
                if (!arg.isBlank()) {
                    org.pdediff.core.Spec.parse(name + ":" + arg).requireAllUsed("score"); // it takes no keys
                }
                return new GaussianMixtureScore(sde, data.law().orElseThrow(() -> new InvalidInputException(
                        "--score gmm needs a data set whose law is known (gaussian, gmm, blob); '" + data.name() + "' has none")));
            default:
                Factory f = EXTRA.get(name);
                if (f == null) {
                    throw new InvalidInputException("unknown score '" + name + "' (known: exact, gmm, torchscript"
                            + (EXTRA.isEmpty() ? "" : ", " + String.join(", ", EXTRA.keySet())) + ")");
                }
                return f.create(arg, data, sde);
        }
    }
}
