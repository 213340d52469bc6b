package org.pdediff.train;

import org.pdediff.nn.ActivationKind;
import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.InvalidInputException;

/**
 * The MLP of a neural score: input [u, e(t)] with u ∈ R^d the preconditioned point and e(t) the time embedding,
 * {@code depth} hidden layers of {@code width} units, and a linear output of {@link Parameterisation#outputs(int)}
 * units.
 *
 * <p>Time embedding (Fourier features of the log noise level): with ν = ln σ(t),
 * e(t) = [ν/4, sin(ω_k ν), cos(ω_k ν)]_{k=0..m−1}, ω_k = 2^{k−2}; ν resolves small t, where scores change fastest.
 *
 * <p>Parameter layout (row-major, h·W + b convention): W0x (d × w), W0t (|e| × w), b0 (w), then W1, b1, …,
 * W{depth−1}, b{depth−1} (w × w, w), then Wout (w × o), bout (o). The first layer is split into its x and time
 * parts so that the x-gradient of a potential needs only W0x.
 *
 * @param dim             data dimension d
 * @param width           hidden width w
 * @param depth           number of hidden layers (≥ 1)
 * @param activation      hidden activation
 * @param softplusBeta    β of Softplus (ignored for SiLU)
 * @param fourier         number m of Fourier frequencies in the time embedding
 * @param parameterisation output parameterisation
 * @param timeInput       Fourier features of ln σ (default) or the plain time t (P3)
 * @param inputScaling    preconditioned x (default) or raw x (P3)
 * @param skip            what the network output is added to: nothing, or the Gaussian score ({@link Skip})
 */
public record Architecture(int dim, int width, int depth, ActivationKind activation, double softplusBeta, int fourier,
                           Parameterisation parameterisation, TimeInput timeInput, InputScaling inputScaling, Skip skip) {
    /** pdediff's default inputs: Fourier features of ln σ, preconditioned x; no skip. */
    public Architecture(int dim, int width, int depth, ActivationKind activation, double softplusBeta, int fourier,
                        Parameterisation parameterisation) {
        this(dim, width, depth, activation, softplusBeta, fourier, parameterisation, TimeInput.LOG_SIGMA,
                InputScaling.PRECONDITIONED, Skip.NONE);
    }

    /** Without a skip (models written before {@link Skip} existed). */
    public Architecture(int dim, int width, int depth, ActivationKind activation, double softplusBeta, int fourier,
                        Parameterisation parameterisation, TimeInput timeInput, InputScaling inputScaling) {
        this(dim, width, depth, activation, softplusBeta, fourier, parameterisation, timeInput, inputScaling, Skip.NONE);
    }

    public Architecture {
        timeInput = timeInput == null ? TimeInput.LOG_SIGMA : timeInput;
        inputScaling = inputScaling == null ? InputScaling.PRECONDITIONED : inputScaling;
        skip = skip == null ? Skip.NONE : skip;
        if (dim < 1 || width < 1 || depth < 1 || fourier < 0 || fourier > 24) {
            throw new InvalidInputException("architecture needs dim >= 1, width >= 1, depth >= 1, 0 <= fourier <= 24; got dim="
                    + dim + ", width=" + width + ", depth=" + depth + ", fourier=" + fourier);
        }
        if (!(softplusBeta > 0) || !Double.isFinite(softplusBeta)) {
            throw new InvalidInputException("softplus beta must be > 0, got " + softplusBeta);
        }
    }

    /** Length of the time embedding: 2m + 1, or 1 for the plain time. */
    public int embedding() {
        return timeInput == TimeInput.T ? 1 : 2 * fourier + 1;
    }

    /** Output width o. */
    public int outputs() {
        return parameterisation.outputs(dim);
    }

    /** Writes the time embedding e(t) for ν = ln σ(t) into {@code out[off..off+|e|)}. */
    public void embed(double nu, double[] out, int off) {
        out[off] = nu / 4;
        for (int k = 0; k < fourier; k++) {
            double w = Math.scalb(1.0, k - 2);
            out[off + 1 + 2 * k] = StrictMath.sin(w * nu);
            out[off + 2 + 2 * k] = StrictMath.cos(w * nu);
        }
    }

    /** One named parameter tensor: its shape and offset in the flat parameter vector. */
    public record Tensor(String name, int[] shape, int offset) {
        public int size() {
            int s = 1;
            for (int v : shape) {
                s *= v;
            }
            return s;
        }
    }

    /** The parameter tensors in layout order. */
    public List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>();
        int[] off = {0};
        java.util.function.BiConsumer<String, int[]> add = (n, s) -> {
            Tensor t = new Tensor(n, s, off[0]);
            out.add(t);
            off[0] += t.size();
        };
        add.accept("W0x", new int[] {dim, width});
        add.accept("W0t", new int[] {embedding(), width});
        add.accept("b0", new int[] {width});
        for (int l = 1; l < depth; l++) {
            add.accept("W" + l, new int[] {width, width});
            add.accept("b" + l, new int[] {width});
        }
        add.accept("Wout", new int[] {width, outputs()});
        add.accept("bout", new int[] {outputs()});
        return out;
    }

    /** Total number of parameters. */
    public int parameterCount() {
        List<Tensor> t = tensors();
        Tensor last = t.get(t.size() - 1);
        return last.offset() + last.size();
    }
}
