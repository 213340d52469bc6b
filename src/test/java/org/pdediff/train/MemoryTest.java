package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pdediff.data.DataSets;
import org.pdediff.sde.Sdes;

/**
 * Memory stays flat over 2000 training steps with the FP penalty (the path with the most temporary arrays: 11
 * forward passes per step) and periodic validation.
 *
 * <p>Resident memory: RSS is sampled every 250 steps after System.gc(). glibc and the JVM return memory lazily, so
 * single samples jump by up to ±100 MiB either way (measured), but a leak raises every later sample; the smallest
 * sample of steps 1500–2000 may exceed the smallest of steps 500–1000 by at most 64 MiB. That catches native leaks of
 * ≳ 45 KiB per step (the engine allocates its workspaces once per channel set; the DJL path it replaced could leak
 * native arrays per step).
 */
@Tag("slow")
class MemoryTest {
    private static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void memoryStaysFlatOverThousandsOfSteps() {
        TrainConfig cfg = TrainConfig.builder().width(16).depth(2).fourier(2).steps(2000).batch(64).fpWeight(0.1).fpBatch(4)
                .validateEvery(250).validationSize(64).seed(2).build();
        Map<Long, Long> rss = new TreeMap<>();
        new Trainer(cfg, DataSets.parse("moons:n=500"), Sdes.parse("vp")).train((done, total, msg) -> {
            if (done >= 500 && done % 250 == 0) {
                System.gc();
                rss.put(done, rssKiB());
            }
        });
        System.out.println("MemoryTest: VmRSS (KiB) by step " + rss);
        long early = Math.min(Math.min(rss.get(500L), rss.get(750L)), rss.get(1000L));
        long late = Math.min(Math.min(rss.get(1500L), rss.get(1750L)), rss.get(2000L));
        assertThat(late - early).as("RSS growth, KiB").isLessThan(64 * 1024);
    }
}
