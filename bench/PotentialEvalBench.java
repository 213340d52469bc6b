import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import org.pdediff.core.Batch;
import org.pdediff.core.RandomStream;
import org.pdediff.nn.Precision;
import org.pdediff.train.Checkpoint;
import org.pdediff.train.NeuralScore;

/**
 * The score s = ∇ₓφ of a P3 potential network (3×80 Softplus β = 100, input (t, x)) evaluated by pdediff's MLP engine
 * in float64 and float32 on one thread: the cost of one sampler step of `experiment ode-sde-gap` (2 × 20,000 particles
 * × 890 steps per model). Thread CPU time per point after warm-up, best of 5 rounds, and the float32/float64 ratio;
 * also the largest relative difference of the two scores. Args: MODEL.pdm [POINTS]. Run by bench/sampling_precision_bench.sh.
 */
public final class PotentialEvalBench {
    public static void main(String[] args) {
        Checkpoint c = Checkpoint.read(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        NeuralScore f64 = NeuralScore.of(c);
        Batch x = Batch.zeros(n, 2);
        RandomStream.of(1).fillNormal(x, 0, 0);
        double[] best = new double[2];
        Batch[] out = new Batch[2];
        int k = 0;
        for (Precision p : new Precision[] {Precision.FLOAT64, Precision.FLOAT32}) {
            NeuralScore s = f64.withEvaluation(p);
            out[k] = Batch.zeros(n, 2);
            for (int w = 0; w < 10; w++) {
                s.score(x, 1.0, out[k]);
            }
            best[k] = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long t0 = tb.getCurrentThreadCpuTime();
                for (int r = 0; r < 10; r++) {
                    s.score(x, 0.5 + r, out[k]);
                }
                best[k] = Math.min(best[k], (tb.getCurrentThreadCpuTime() - t0) * 1e-9 / 10 / n);
            }
            System.out.printf("%s: %.3f us per point; one model's sampling (2 x 20,000 x 890 evaluations): %.0f s of CPU%n",
                    p, best[k] * 1e6, best[k] * 2 * 20_000 * 890);
            k++;
        }
        double maxRel = 0;
        double scale = 0;
        for (double v : out[0].data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < out[0].data().length; i++) {
            maxRel = Math.max(maxRel, Math.abs(out[0].data()[i] - out[1].data()[i]) / scale);
        }
        System.out.printf("float32 / float64 time: %.2f (speed-up %.2fx); largest |s32 - s64| / max|s64| = %.1e%n",
                best[1] / best[0], best[0] / best[1], maxRel);
    }
}
