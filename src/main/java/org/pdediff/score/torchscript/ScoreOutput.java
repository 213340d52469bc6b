package org.pdediff.score.torchscript;

import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Keyed;

/**
 * What a foreign network returns (the {@code output} key of {@code --score torchscript:PATH}).
 *
 * <ul>
 *   <li>{@link #SCORE}: s(x, t) itself, shape [n, d];</li>
 *   <li>{@link #NOISE}: the ε-prediction, shape [n, d], with s = −ε/σ(t) (Tweedie, MATH.md §4);</li>
 *   <li>{@link #POTENTIAL}: a scalar φ(x, t), shape [n] or [n, 1], with s = ∇ₓφ by autograd.</li>
 * </ul>
 */
public enum ScoreOutput implements Keyed {
    SCORE, NOISE, POTENTIAL;

    static ScoreOutput parse(String s) {
        ScoreOutput o = Keyed.find(ScoreOutput.class, s);
        if (o != null) {
            return o;
        }
        throw new InvalidInputException("torchscript: output must be score, noise or potential, got '" + s + "'");
    }
}
