package org.pdediff.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pdediff.core.RunRecord;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Shard;
import picocli.CommandLine.Option;

/**
 * {@code --shard I/N} of {@code pdediff sample}: write only the particles of shard I (a contiguous range, see
 * {@link Shard}); {@code pdediff merge} puts the shards back together, bit-identical to the unsharded run.
 */
final class ShardOption {
    /** The run-record parameter that says which shard a folder holds (absent in an unsharded run). */
    static final String KEY = "shard";

    @Option(names = "--shard", paramLabel = "I/N", description = "Write only shard I of N (0 <= I < N): a contiguous range of the"
            + " --n particles, exactly those rows of the unsharded run (merge the shards with 'pdediff merge'). Default: all.")
    String shard;

    /** The shard asked for, or {@link Shard#WHOLE}; checks the form early (before any output is created). */
    Shard parse() {
        return shard == null ? Shard.WHOLE : Shard.parse(shard);
    }

    /**
     * The particle range {@code [from, to)} of the shard asked for in an {@code n}-particle run with batches of
     * {@code batch}: whole batches when the sampler or the score depends on the batch (dp45, bs23, torchscript).
     */
    int[] range(int n, int batch, SamplerKind kind, String score) {
        Shard s = parse();
        boolean byBatch = kind == SamplerKind.DP45 || kind == SamplerKind.BS23
                || score.strip().toLowerCase(Locale.ROOT).startsWith("torchscript:");
        int unit = byBatch ? batch : 1;
        s.requireNonEmpty(n, unit, byBatch ? "batches (--batch " + batch + "; " + (kind == SamplerKind.DP45 || kind == SamplerKind.BS23
                ? kind.name().toLowerCase(Locale.ROOT) + " chooses its steps per batch" : "a torchscript score may change bits with the batch shape")
                + ", so shards are whole batches: give a smaller --batch)" : "particles");
        return new int[] {s.from(n, unit), s.to(n, unit)};
    }

    /** Records the shard (index, count and particle range) as a parameter, when one was asked for. */
    void record(RunRecord rec, int[] range) {
        if (shard != null) {
            Shard s = parse();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", s.index());
            m.put("count", s.count());
            m.put("from", range[0]);
            m.put("to", range[1]);
            rec.param(KEY, m);
        }
    }
}
