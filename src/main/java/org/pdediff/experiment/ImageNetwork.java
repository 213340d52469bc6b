package org.pdediff.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.score.ScoreModel;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.ProgressListener;
import org.pdediff.core.Spec;
import org.pdediff.data.DataSet;
import org.pdediff.sde.Sde;
import org.pdediff.train.Skip;
import org.pdediff.train.TimeLaw;
import org.pdediff.train.TrainConfig;
import org.pdediff.train.Trainer;

/**
 * The trained network of the image mode of the memorisation experiment ({@code --train-network}, or
 * {@code --network train[:steps=..,width=..,depth=..,batch=..,lr=..,seed=..,skip=..]}): an MLP on pdediff's engine, trained
 * by DSM on the same training images as the exact score it is compared with.
 *
 * <p>Its defaults are what a CPU trains in a minute or two and what the measurements behind them showed to matter
 * (MATH.md §6; Fashion-MNIST, 2,000 training images, 64 held-out test images, σ²-weighted DSM out of d = 784):
 * <ul>
 *   <li>a skip ({@link Skip}): without one an MLP narrower than d cannot carry the restoring term −x/σ² and the reverse
 *       dynamics diverge (sample norms ≈ 3,700 against 23 for the data). The covariance skip (a Wiener filter under the
 *       network) beats the isotropic one at every t: held-out DSM 91 / 223 / 585 / 746 against 156 / 420 / 695 / 778 at
 *       t = 0.2 / 0.1 / 0.03 / 0.01 (1,500 and 2,000 steps), and the samples' nearest training images are at 12 against
 *       17 (C1's memorisation distance at ε = 10⁻³ is 0.29);</li>
 *   <li>training times ε + (T − ε)·U² (Beta(1/2, 1): a sixth of the batch below t = 0.03, against 3% for uniform
 *       times);</li>
 *   <li>noise output, Fourier features of ln σ, the preconditioned input, EMA 0.999, width 512, depth 3, batch 128,
 *       1,500 steps (≈ 55 s on two quiet cores; 17 minutes when four people share them).</li>
 * </ul>
 *
 * <p>What it does not do: below t ≈ 0.03 it removes little of the noise (held-out DSM 585–746 of 784), so its samples
 * have the outlines of clothes with blotchy texture in them. An MLP narrower than d cannot output full-rank noise
 * beyond what the Wiener filter removes; a convolutional network is the next step.
 */
public final class ImageNetwork {
    /** The default skip of the image network. */
    static final Skip DEFAULT_SKIP = Skip.COVARIANCE;

    /** Spec name of the in-process training in {@code --network}. */
    public static final String SPEC = "train";

    private ImageNetwork() {
    }

    /** Whether a {@code --network} value asks for a network trained here. */
    public static boolean requested(String network) {
        return network != null && (network.strip().equals(SPEC) || network.strip().startsWith(SPEC + ":"));
    }

    /** The training configuration of {@code train[:key=value,...]} (keys: steps, width, depth, batch, lr, seed, skip). */
    public static TrainConfig config(String spec, long seed) {
        Spec s = Spec.parse(spec);
        if (!s.name().equals(SPEC)) {
            throw new InvalidInputException("network training spec must start with '" + SPEC + "', got " + spec);
        }
        int steps = s.getIntAtLeast("steps", 1500, 1);
        TrainConfig cfg = TrainConfig.builder()
                .width(s.getIntAtLeast("width", 512, 1))
                .depth(s.getIntAtLeast("depth", 3, 1))
                .batch(s.getIntAtLeast("batch", 128, 1))
                .steps(steps)
                .lr(s.getPositive("lr", 1e-3))
                .warmup(Math.min(100, steps))
                .emaDecay(0.999)
                .timeLaw(new TimeLaw(0.5, 1))
                .skip(Skip.parse(s.getString("skip", DEFAULT_SKIP.key())))
                .validationSize(256)
                .seed(s.getLong("seed", seed))
                .build();
        s.requireAllUsed("network training");
        return cfg;
    }

    /** Trains the network of {@code spec} on {@code data}. */
    public static Trainer.Result train(String spec, DataSet data, Sde sde, long seed, ProgressListener listener) {
        return new Trainer(config(spec, seed), data, sde).train(listener);
    }

    /** Times of the held-out comparison. */
    static final double[] HELD_OUT_TIMES = {0.5, 0.2, 0.1, 0.03, 0.01};

    /**
     * The σ²-weighted DSM E|σ(t)s(αx₀ + σε, t) + ε|² of each score on held-out images x₀ (one fresh ε per image and t,
     * the same for every score), at each of {@link #HELD_OUT_TIMES}. Its minimiser over all functions is the score of
     * p_t of the law the images come from, so it compares scores on data none of them was fitted to: d (= 784) for a
     * score that removes none of the noise, far above d for one that pulls towards the wrong (training) images.
     */
    static List<Map<String, Object>> heldOutDsm(Map<String, ScoreModel> scores, Batch heldOut, Sde sde, long seed) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = heldOut.size();
        int d = heldOut.dim();
        RandomStream rs = RandomStream.of(seed).derive("held-out-dsm");
        for (int q = 0; q < HELD_OUT_TIMES.length; q++) {
            double t = HELD_OUT_TIMES[q] * sde.T();
            double a = sde.alpha(t);
            double sg = sde.sigma(t);
            long p = rs.particle(q);
            Batch x = Batch.zeros(n, d);
            double[] eps = new double[n * d];
            for (int k = 0; k < n * d; k++) {
                eps[k] = RandomStream.normalAt(p, k);
                x.data()[k] = a * heldOut.data()[k] + sg * eps[k];
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t", t);
            row.put("sigma", sg);
            for (Map.Entry<String, ScoreModel> e : scores.entrySet()) {
                Batch s = e.getValue().score(x, t);
                double sum = 0;
                for (int k = 0; k < n * d; k++) {
                    double r = sg * s.data()[k] + eps[k];
                    sum += r * r;
                }
                row.put(e.getKey(), sum / n);
            }
            rows.add(row);
        }
        return rows;
    }

    /** What the report and results record of a training. */
    static Map<String, Object> summary(Trainer.Result r) {
        Trainer.LogRow last = r.log().get(r.log().size() - 1);
        return Map.of("steps", last.step(), "seconds", r.seconds(), "steps_per_second", r.stepsPerSecond(),
                "val_dsm", last.valDsm(), "parameters", r.checkpoint().architecture().parameterCount(),
                "config", r.checkpoint().training());
    }
}
