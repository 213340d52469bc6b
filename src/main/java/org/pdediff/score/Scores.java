package org.pdediff.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;
import org.pdediff.data.DataSet;
import org.pdediff.sde.Sde;

/**
 * Builds a score from a name: {@code exact[:backend=auto|java|torch]} (the finite-sample score M10 of the data set), {@code gmm} (the analytic
 * score M11 of the data set's law, for gaussian, gmm and blob), {@code torchscript:PATH[:output=,time=,dtype=]} (a network
 * exported from PyTorch, see {@link org.pdediff.score.torchscript.TorchScriptScore}). Neural scores ({@code model:PATH}) are
 * {@link ScoreKind} services of the train package, found without any start-up call.
 */
public final class Scores {
    /** Builds a score for a data set and SDE from the part of the spec after the name. */
    @FunctionalInterface
    public interface Factory {
        ScoreModel create(String argument, DataSet data, Sde sde);
    }

    /** The kinds of this package, in the order of the "known:" list. */
    private static final List<ScoreKind> BUILT_IN = List.of(
            kind(List.of("exact"), Scores::exact),
            kind(List.of("gmm", "analytic"), Scores::gmm),
            kind(List.of("torchscript"), (arg, data, sde) -> org.pdediff.score.torchscript.TorchScriptScores.create(arg, data, sde)));

    /** Kinds from the layers above, found once with {@link ServiceLoader}. */
    private static final class Loaded {
        static final List<ScoreKind> KINDS = ServiceLoader.load(ScoreKind.class, Scores.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    private static final Map<String, Factory> EXTRA = new ConcurrentHashMap<>();

    private Scores() {
    }

    /** Registers a further score kind at run time (tests; the layers above use {@link ScoreKind} services instead). */
    public static void register(String name, Factory factory) {
        EXTRA.put(name, factory);
    }

    /** A score kind from its names and a factory. */
    public static ScoreKind kind(List<String> names, Factory factory) {
        return new ScoreKind() {
            @Override
            public List<String> names() {
                return names;
            }

            @Override
            public ScoreModel create(String argument, DataSet data, Sde sde) {
                return factory.create(argument, data, sde);
            }
        };
    }

    /** Every known kind: this package's, then the service-loaded ones. */
    public static List<ScoreKind> kinds() {
        List<ScoreKind> all = new ArrayList<>(BUILT_IN);
        all.addAll(Loaded.KINDS);
        return all;
    }

    public static ScoreModel create(String spec, DataSet data, Sde sde) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? "" : s.substring(colon + 1);
        List<ScoreKind> all = kinds();
        for (ScoreKind k : all) {
            if (k.names().contains(name)) {
                return k.create(arg, data, sde);
            }
        }
        Factory f = EXTRA.get(name);
        if (f == null) {
            StringJoiner known = new StringJoiner(", ");
            all.forEach(k -> known.add(k.names().get(0)));
            EXTRA.keySet().forEach(known::add);
            throw new InvalidInputException("unknown score '" + name + "' (known: " + known + ")");
        }
        return f.create(arg, data, sde);
    }

    private static ScoreModel exact(String arg, DataSet data, Sde sde) {
        FiniteDataScore.Backend backend = FiniteDataScore.Backend.AUTO;
        if (!arg.isBlank()) {
            Spec sp = Spec.parse("exact:" + arg);
            String b = sp.getString("backend", "auto");
            sp.requireAllUsed("score");
            try {
                backend = FiniteDataScore.Backend.valueOf(b.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("exact: backend must be auto, java or torch, got '" + b + "'");
            }
        }
        return new FiniteDataScore(sde, data.points(), backend);
    }

    private static ScoreModel gmm(String arg, DataSet data, Sde sde) {
        if (!arg.isBlank()) {
            Spec.parse("gmm:" + arg).requireAllUsed("score"); // it takes no keys
        }
        return new GaussianMixtureScore(sde, data.law().orElseThrow(() -> new InvalidInputException(
                "--score gmm needs a data set whose law is known (gaussian, gmm, blob); '" + data.name() + "' has none")));
    }
}
