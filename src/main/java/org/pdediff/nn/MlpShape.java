package org.pdediff.nn;

/**
 * A multilayer perceptron x ↦ W_D·act(…act(W_0ᵀx + b_0)…) + b_D with {@code depth} hidden layers of {@code width}
 * units (h·W + b convention, row vectors).
 *
 * <p>Flat parameter layout (row-major): W_0 (inputs × width), b_0 (width), W_1, b_1, …, W_depth (width × outputs),
 * b_depth (outputs).
 *
 * @param inputs     input width k₀
 * @param width      hidden width w
 * @param depth      number of hidden layers (≥ 1)
 * @param outputs    output width o
 * @param activation hidden activation
 * @param beta       Softplus sharpness β (ignored for SiLU)
 */
public record MlpShape(int inputs, int width, int depth, int outputs, ActivationKind activation, double beta) {
    public MlpShape {
        if (inputs < 1 || width < 1 || depth < 1 || outputs < 1) {
            throw new IllegalArgumentException("MLP needs inputs, width, depth, outputs >= 1");
        }
    }

    /** Number of weight layers, depth + 1. */
    public int layers() {
        return depth + 1;
    }

    /** Input width of layer l. */
    public int in(int l) {
        return l == 0 ? inputs : width;
    }

    /** Output width of layer l. */
    public int out(int l) {
        return l == depth ? outputs : width;
    }

    /** Offset of W_l in the flat layout (b_l follows it). */
    public int offset(int l) {
        int off = 0;
        for (int q = 0; q < l; q++) {
            off += (in(q) + 1) * out(q);
        }
        return off;
    }

    public int parameterCount() {
        return offset(layers());
    }
}
