package org.pdediff.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes Fashion-MNIST available to a test: if it is missing, installs the Debian package
 * {@code dataset-fashion-mnist} (as .ci/run does) when this process can (root, apt-get present); if that is
 * impossible, prints why and aborts the test (a visible skip, never a silent pass).
 */
public final class FashionMnistFixture {
    private static volatile String unavailable;
    private static volatile boolean checked;

    private FashionMnistFixture() {
    }

    /** Returns normally when the data set can be read; otherwise prints the reason and skips the calling test. */
    public static synchronized void require() {
        if (!checked) {
            unavailable = ensure();
            checked = true;
        }
        if (unavailable != null) {
            System.err.println("SKIPPED (fashion-mnist unavailable): " + unavailable);
            Assumptions.abort("fashion-mnist unavailable: " + unavailable);
        }
    }

    private static String ensure() {
        if (FashionMnist.available()) {
            return null;
        }
        String why;
        boolean root = "root".equals(System.getProperty("user.name"));
        Path aptGet = Path.of("/usr/bin/apt-get");
        if (!root) {
            why = "not installed, and this test is not running as root so it cannot run apt-get; " + FashionMnist.INSTALL_HINT;
        } else if (!Files.isExecutable(aptGet)) {
            why = "not installed and there is no apt-get on this machine; " + FashionMnist.INSTALL_HINT;
        } else {
            try {
                System.err.println("fashion-mnist missing: running apt-get install -y dataset-fashion-mnist");
                Process p = new ProcessBuilder(aptGet.toString(), "install", "-y", "dataset-fashion-mnist")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    why = "apt-get install dataset-fashion-mnist did not finish in 10 minutes";
                } else if (FashionMnist.available()) {
                    return null;
                } else {
                    why = "apt-get install -y dataset-fashion-mnist failed (exit " + p.exitValue() + "; no network or no such package?)";
                }
            } catch (Exception e) {
                why = "cannot run apt-get: " + e.getMessage();
            }
        }
        return why;
    }
}
