package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;

/** The data set's own failure paths, on synthetic folders (no download, no package needed). */
class FashionMnistMissingTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        System.clearProperty("pdediff.fashion-mnist.system-dir");
        FashionMnist.clearCache();
    }

    private String runExpectingExit2(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        String text = err.toString().strip();
        assertThat(text).doesNotContain("\n").doesNotContain("Exception");
        return text;
    }

    @Test
    void missingFilesSayHowToInstallInOneLineWithExitTwo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(FashionMnist.ENV) == null, "PDEDIFF_DATA is set");
        System.setProperty("pdediff.fashion-mnist.system-dir", tmp.resolve("none").toString());
        FashionMnist.clearCache();
        String msg = runExpectingExit2("data", "--data", "fashion-mnist:n=10", "--out", tmp.resolve("x.csv").toString());
        assertThat(msg).contains("apt-get install dataset-fashion-mnist").contains("PDEDIFF_DATA");
        assertThat(tmp.resolve("x.csv")).doesNotExist();
    }

    @Test
    void malformedFilesAreRefusedWithTheirName() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(FashionMnist.ENV) == null, "PDEDIFF_DATA is set");
        Path dir = tmp.resolve("fm");
        Files.createDirectories(dir);
        // 3 images of 28×28 but 2 labels: a dimension mismatch between the files
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.idx(8, new int[] {3, 28, 28}, new byte[3 * 784])));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.idx(8, new int[] {2}, new byte[2]));
        System.setProperty("pdediff.fashion-mnist.system-dir", dir.toString());
        FashionMnist.clearCache();
        String msg = runExpectingExit2("data", "--data", "fashion-mnist:split=test", "--out", tmp.resolve("y.csv").toString());
        assertThat(msg).contains("has 3 images but").contains("2 labels");
        // images of the wrong side
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.idx(8, new int[] {2, 8, 8}, new byte[2 * 64])));
        FashionMnist.clearCache();
        msg = runExpectingExit2("data", "--data", "fashion-mnist:split=test", "--out", tmp.resolve("y.csv").toString());
        assertThat(msg).contains("IDX shape 2×8×8 where *×28×28 was expected");
        assertThat(tmp.resolve("y.csv")).doesNotExist();
    }
}
