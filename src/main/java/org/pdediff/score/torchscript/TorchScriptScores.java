package org.pdediff.score.torchscript;

import org.pdediff.data.DataSet;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * The {@code torchscript:PATH[:output=…,time=…,dtype=…]} score kind of {@link org.pdediff.score.Scores}: a network
 * exported from PyTorch, for the data set's dimension and the SDE given by {@code --sde} (vp when none is given).
 */
public final class TorchScriptScores {
    private TorchScriptScores() {
    }

    /** Loads and self-checks the network named by {@code arg} (the part after {@code torchscript:}). */
    public static TorchScriptScore create(String arg, DataSet data, Sde sde) {
        TorchScriptSpec spec = TorchScriptSpec.parse(arg);
        return TorchScriptScore.load(spec, sde != null ? sde : Sdes.parse("vp"), data.dim());
    }
}
