package org.pdediff.score.torchscript;

import java.nio.file.Path;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;

/**
 * The argument of {@code --score torchscript:PATH[:output=score|noise|potential,time=t|sigma|log_sigma,
 * dtype=float32|float64]}. The options are the part after the last ':' when it contains '='; everything before is the
 * path (which may itself contain ':').
 *
 * @param path   the TorchScript file
 * @param output the output convention (default score)
 * @param time   the time convention (default t)
 * @param dtype  the requested precision, or null to use the weights' type
 */
public record TorchScriptSpec(Path path, ScoreOutput output, TimeInput time, Precision dtype) {
    /** Parses the part after {@code torchscript:}. */
    public static TorchScriptSpec parse(String arg) {
        String a = arg == null ? "" : arg.strip();
        String opts = "";
        int colon = a.lastIndexOf(':');
        if (colon >= 0 && a.substring(colon + 1).contains("=")) {
            opts = a.substring(colon + 1);
            a = a.substring(0, colon).strip();
        }
        if (a.isEmpty()) {
            throw new InvalidInputException("--score torchscript:PATH needs a path to a TorchScript file");
        }
        ScoreOutput output = ScoreOutput.SCORE;
        TimeInput time = TimeInput.T;
        Precision dtype = null;
        if (!opts.isBlank()) {
            Spec sp = Spec.parse("torchscript:" + opts);
            output = ScoreOutput.parse(sp.getString("output", "score"));
            time = TimeInput.parse(sp.getString("time", "t"));
            String dt = sp.getString("dtype", null);
            dtype = dt == null ? null : Precision.parse(dt);
            sp.requireAllUsed("score");
        }
        return new TorchScriptSpec(Path.of(a), output, time, dtype);
    }

    /** The canonical spec string (without the {@code torchscript:} prefix). */
    public String canonical() {
        return path + ":output=" + output.key() + ",time=" + time.key() + (dtype == null ? "" : ",dtype=" + dtype.key());
    }
}
