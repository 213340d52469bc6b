import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.pdediff.nn.ActivationKind;
import org.pdediff.nn.Channels;
import org.pdediff.nn.MlpEngine;
import org.pdediff.nn.MlpShape;
import org.pdediff.nn.MlpWeights;
import org.pdediff.nn.Precision;

/**
 * Throughput of the MLP engine: one forward + reverse pass of a 128-row block (value channel), float32, one thread,
 * thread CPU time after warm-up (best of 5 rounds). Arguments: shapes as INPUTS,WIDTH,OUTPUTS (depth 3, SiLU).
 * FLOPs counted as 6·rows·(k0·w + 2w² + w·o) (forward 2, reverse 4 multiply–adds per weight and row).
 */
public final class EngineBench {
    public static void main(String[] args) {
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        for (String spec : args) {
            String[] p = spec.split(",");
            int k0 = Integer.parseInt(p[0]);
            int w = Integer.parseInt(p[1]);
            int o = Integer.parseInt(p[2]);
            MlpShape s = new MlpShape(k0, w, 3, o, ActivationKind.SILU, 1);
            double[] params = new double[s.parameterCount()];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < params.length; i++) {
                params[i] = (r.nextDouble() - 0.5) * 0.05;
            }
            MlpEngine e = new MlpEngine(s, Precision.FLOAT32, Channels.VALUE);
            MlpWeights mw = new MlpWeights(s, Precision.FLOAT32, params);
            double[] in = new double[MlpEngine.BLOCK * k0];
            double[] out = new double[MlpEngine.BLOCK * o];
            double[] adj = new double[MlpEngine.BLOCK * o];
            double[] g = new double[params.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = r.nextDouble() - 0.5;
            }
            for (int i = 0; i < adj.length; i++) {
                adj[i] = r.nextDouble() - 0.5;
            }
            double flops = 6.0 * MlpEngine.BLOCK * ((double) k0 * w + 2.0 * w * w + (double) w * o);
            int reps = (int) Math.max(5, Math.min(2000, 2e9 / flops));
            double best = Double.POSITIVE_INFINITY;
            for (int round = 0; round < 6; round++) {
                long c0 = tb.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    e.forward(mw, in, out, true);
                    e.backward(mw, adj, g, null);
                }
                double ms = (tb.getCurrentThreadCpuTime() - c0) / 1e6 / reps;
                if (round > 0) {
                    best = Math.min(best, ms);
                }
            }
            System.out.printf(java.util.Locale.ROOT, "%-14s %8.3f ms per 128-row block  %6.1f GF/s%n", spec, best, flops / best / 1e6);
        }
    }
}
