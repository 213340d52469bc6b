package org.pdediff.score.torchscript;

import java.util.Locale;
import org.pdediff.core.InvalidInputException;

/**
 * What a foreign network returns (the {@code output} key of {@code --score torchscript:PATH}).
 *
 * <ul>
 *   <li>{@link #SCORE}: s(x, t) itself, shape [n, d];</li>
 *   <li>{@link #NOISE}: the ε-prediction, shape [n, d], with s = −ε/σ(t) (Tweedie, MATH.md §4);</li>
 *   <li>{@link #POTENTIAL}: a scalar φ(x, t), shape [n] or [n, 1], with s = ∇ₓφ by autograd.</li>
 * </ul>
 */
public enum ScoreOutput {
    SCORE, NOISE, POTENTIAL;

    /** The key as written in a spec. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ScoreOutput parse(String s) {
        for (ScoreOutput o : values()) {
            if (o.key().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new InvalidInputException("torchscript: output must be score, noise or potential, got '" + s + "'");
    }
}
