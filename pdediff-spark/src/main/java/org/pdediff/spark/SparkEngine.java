package org.pdediff.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.core.TempFiles;
import picocli.CommandLine;

/**
 * What the Spark entry points share: the Spark context (embedded {@code local[*]} unless a master is given, loopback
 * driver address in local mode), the files of a task's output folder shipped back to the driver (so no shared file
 * system is needed), and the command line's error convention (one line, exit 2 for bad input, 3 for a numerical
 * failure, 1 for a bug).
 */
public final class SparkEngine {
    /** Exit status for user errors (as {@code pdediff}). */
    public static final int USER_ERROR = 2;

    private SparkEngine() {
    }

    /**
     * A Spark context for {@code app}: {@code master} if given, else the one spark-submit set, else {@code local[*]}.
     * In local mode the driver binds to 127.0.0.1 and the web UI is off.
     */
    public static JavaSparkContext context(String app, String master) {
        SparkConf conf = new SparkConf().setAppName(app);
        if (master != null) {
            conf.setMaster(master);
        } else {
            conf.setIfMissing("spark.master", "local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }

    /** The files of a folder (relative path with '/' → bytes), in sorted order. */
    static Map<String, byte[]> pack(Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Writes shipped files as the folder {@code target}, replacing what was there in one move (a hidden staging
     * folder beside it first).
     */
    static void unpack(Map<String, byte[]> files, Path target) {
        Path t = target.toAbsolutePath().normalize();
        Path staging = t.resolveSibling("." + t.getFileName() + ".spark-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        TempFiles.register(staging, () -> TempFiles.deleteRecursively(staging));
        try {
            Files.createDirectories(staging);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path f = staging.resolve(e.getKey()).normalize();
                if (!f.startsWith(staging)) {
                    throw new IllegalStateException("shipped file outside its folder: " + e.getKey());
                }
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
            }
            if (Files.exists(t)) {
                TempFiles.deleteRecursively(t);
            }
            Files.move(staging, t, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + target + ": " + e.getMessage());
        } finally {
            TempFiles.deleteRecursively(staging);
            TempFiles.release(staging);
        }
    }

    /** A fresh temporary folder for a task (removed by {@link #removeTree}). */
    static Path taskDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void removeTree(Path p) {
        TempFiles.deleteRecursively(p);
    }

    /** What a task sends back: a value and the files it wrote. */
    record Shipped<T extends Serializable>(T value, Map<String, byte[]> files) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Runs a picocli command the way {@code pdediff} does: bad input is one line ({@code NAME: message}) and exit 2,
     * a numerical failure exit 3, anything else one line and exit 1 (the stack trace with {@code --debug}).
     */
    public static int execute(String name, Callable<Integer> command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see --help)");
            cl.getErr().flush();
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            Throwable root = ex;
            while (!(root instanceof InvalidInputException) && !(root instanceof NumericalFailureException)
                    && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            int code = root instanceof InvalidInputException ? USER_ERROR : root instanceof NumericalFailureException ? 3 : 1;
            String m = code == 1 ? "internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage())
                    + "; this is a bug, please report it (--debug prints the stack trace)" : oneLine(root.getMessage());
            cl.getErr().println(name + ": " + (code == 3 ? "numerical failure: " : "") + m);
            if (code == 1 && List.of(a(parsed)).contains("--debug")) {
                ex.printStackTrace(cl.getErr());
            }
            cl.getErr().flush();
            return code;
        });
        return cl.execute(args);
    }

    private static String[] a(CommandLine.ParseResult parsed) {
        return parsed.originalArgs().toArray(new String[0]);
    }

    static String oneLine(String s) {
        return s == null ? "error" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
