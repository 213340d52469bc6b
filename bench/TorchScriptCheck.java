import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pdediff.core.Batch;
import org.pdediff.score.torchscript.TorchScriptScore;
import org.pdediff.score.torchscript.TorchScriptSpec;
import org.pdediff.sde.Sdes;

/**
 * bench/torchscript_bench.sh: score-FP residual (M5) and divergence of a TorchScript score at the points of a CSV
 * (x1,x2,t), through pdediff's autograd path, printed as JSON. Run as a single-file program on pdediff's class path.
 */
public final class TorchScriptCheck {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        StringBuilder fp = new StringBuilder();
        StringBuilder dv = new StringBuilder();
        try (TorchScriptScore s = TorchScriptScore.load(TorchScriptSpec.parse(args[0]), Sdes.parse("vp"), 2)) {
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                Batch x = Batch.ofRows(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
                double t = Double.parseDouble(f[2]);
                Batch r = s.fpResidual(x, t);
                double[] div = new double[1];
                s.divergence(x, t, div);
                fp.append(fp.length() == 0 ? "" : ",").append("[").append(r.get(0, 0)).append(",").append(r.get(0, 1)).append("]");
                dv.append(dv.length() == 0 ? "" : ",").append(div[0]);
            }
        }
        System.out.println("{\"fp_residual\": [" + fp + "], \"divergence\": [" + dv + "]}");
    }
}
