package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output-set mechanism: staged, moved into place whole, never replacing what is not ours, cleaned on every exit. */
class OutputSetTest {
    @TempDir
    Path dir;

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void writeRun(OutputSet set, String... files) {
        for (String f : files) {
            AtomicFiles.writeString(set.resolve(f), f);
        }
        new RunRecord("sample").writeTo(set.dir());
    }

    @Test
    void aCommittedSetReplacesTheWholeFolderAndStaleFilesDoNotSurvive() throws IOException {
        Path out = dir.resolve("runs/a");
        try (OutputSet set = OutputSet.open(out)) {
            assertThat(Files.exists(out)).as("nothing at the target before commit").isFalse();
            writeRun(set, "samples.csv", "trajectory_0.csv", "trajectory_1.csv");
            set.commit();
        }
        assertThat(names(out)).containsExactly("run.json", "samples.csv", "trajectory_0.csv", "trajectory_1.csv");
        try (OutputSet set = OutputSet.open(out)) {
            writeRun(set, "samples.csv");
            set.commit();
        }
        assertThat(names(out)).containsExactly("run.json", "samples.csv");
        assertThat(names(out.getParent())).as("no staging or old folder left").containsExactly("a");
    }

    @Test
    void aFailedRunLeavesThePreviousRunIntactAndNoLitter() throws IOException {
        Path out = dir.resolve("b");
        try (OutputSet set = OutputSet.open(out)) {
            writeRun(set, "samples.csv", "trajectory_0.csv");
            set.commit();
        }
        assertThatThrownBy(() -> {
            try (OutputSet set = OutputSet.open(out)) {
                AtomicFiles.writeString(set.resolve("samples.csv"), "new");
                throw new NumericalFailureException("diverged");
            }
        }).isInstanceOf(NumericalFailureException.class);
        assertThat(Files.readString(out.resolve("samples.csv"))).isEqualTo("samples.csv");
        assertThat(names(out)).containsExactly("run.json", "samples.csv", "trajectory_0.csv");
        assertThat(names(dir)).containsExactly("b");
    }

    @Test
    void anInputErrorLeavesNoEmptyFolderBehind() throws IOException {
        Path out = dir.resolve("new/deeper/c");
        try (OutputSet set = OutputSet.open(out)) {
            assertThat(set.dir()).exists();
        }
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void anEmptyExistingFolderIsFilledInPlace() throws IOException {
        Path out = Files.createDirectory(dir.resolve("empty"));
        Object key = Files.readAttributes(out, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        try (OutputSet set = OutputSet.open(out)) {
            writeRun(set, "x.csv");
            set.commit();
        }
        assertThat(names(out)).containsExactly("run.json", "x.csv");
        assertThat(Files.readAttributes(out, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(key);
    }

    @Test
    void refusesWhatIsNotOursBeforeCreatingAnything() throws Exception {
        Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> OutputSet.open(foreign)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not empty");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> OutputSet.open(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a folder");
        assertThatThrownBy(() -> OutputSet.open(Path.of("/dev/null"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> OutputSet.open(Path.of("-"))).isInstanceOf(InvalidInputException.class);
        // a train folder holds models that other runs read: never swapped away
        Path trainDir = Files.createDirectory(dir.resolve("train"));
        new RunRecord("train").writeTo(trainDir);
        assertThatThrownBy(() -> OutputSet.open(trainDir)).isInstanceOf(InvalidInputException.class);
        // a folder of ours that holds one of the run's inputs
        Path ours = dir.resolve("ours");
        try (OutputSet set = OutputSet.open(ours)) {
            writeRun(set, "samples.csv");
            set.commit();
        }
        assertThatThrownBy(() -> OutputSet.open(ours, ours.resolve("samples.csv"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds the input");
        assertThat(Files.readString(foreign.resolve("thesis.tex"))).isEqualTo("precious");
        assertThat(names(dir)).containsExactly("file", "foreign", "ours", "train");
    }

    @Test
    void aLinkToAFolderIsFollowedAndTheLinkKept() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        try (OutputSet set = OutputSet.open(link)) {
            writeRun(set, "a.csv");
            set.commit();
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(names(real)).containsExactly("a.csv", "run.json");
        try (OutputSet set = OutputSet.open(link)) {
            writeRun(set, "b.csv");
            set.commit();
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(names(link.toRealPath())).containsExactly("b.csv", "run.json");
    }

    @Test
    void filesAndFoldersFollowTheUmaskAndReplacementsKeepTheirMode() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        // what the umask gives a plain new file (0644 under 022), unlike createTempFile's 0600
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(probe);
        Path out = dir.resolve("m");
        try (OutputSet set = OutputSet.open(out)) {
            writeRun(set, "a.csv");
            set.commit();
        }
        assertThat(Files.getPosixFilePermissions(out.resolve("a.csv"))).isEqualTo(umaskMode);
        assertThat(Files.getPosixFilePermissions(out.resolve("run.json"))).isEqualTo(umaskMode);
        Path single = dir.resolve("single.csv");
        AtomicFiles.writeString(single, "1");
        Files.setPosixFilePermissions(single, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.writeString(single, "2");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(single)))
                .isEqualTo("rw-rw-r--");
    }

    @Test
    void singleFilesRefuseLinksAndWriteToDevicesAndFifosAsStreams() throws Exception {
        Path target = Files.writeString(dir.resolve("t.txt"), "target");
        Path link = Files.createSymbolicLink(dir.resolve("l.txt"), target);
        assertThatThrownBy(() -> AtomicFiles.writeString(link, "x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("target");
        AtomicFiles.writeString(Path.of("/dev/null"), "discarded");
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo unavailable");
        StringBuilder got = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = Files.newBufferedReader(fifo)) {
                got.append(r.readLine());
            } catch (IOException e) {
                got.append("error");
            }
        });
        reader.start();
        AtomicFiles.writeString(fifo, "through the fifo\n");
        reader.join(10_000);
        assertThat(got.toString()).isEqualTo("through the fifo");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(names(dir)).containsExactly("fifo", "l.txt", "t.txt");
    }

    @Test
    void theShutdownCleanupRemovesLiveStagingFolders() throws IOException {
        Path out = dir.resolve("new/s");
        OutputSet set = OutputSet.open(out);
        AtomicFiles.writeString(set.resolve("half.csv"), "1,2");
        assertThat(TempFiles.live()).contains(set.dir());
        TempFiles.runAll(); // what the hook does on SIGINT/SIGTERM
        assertThat(names(dir)).isEmpty();
        set.close();
    }

    /** Opened by {@link #sigtermRemovesTheStagingFolder}: stages a file, says so, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        OutputSet set = OutputSet.open(Path.of(args[0]));
        AtomicFiles.writeString(set.resolve("half.csv"), "1,2");
        System.out.println("staged");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void sigtermRemovesTheStagingFolder() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("killed/run");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OutputSetTest.class.getName(), out.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("staged");
            assertThat(names(dir.resolve("killed"))).hasSize(1);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(names(dir)).as("staging folder and the parent it created removed").isEmpty();
    }
}
