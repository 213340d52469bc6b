package org.pdediff.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporary files and folders pdediff is writing right now (staging folders of {@link OutputSet}, the temporary
 * twins of {@link AtomicFiles}). Each is registered while it lives and removed on its error paths; one JVM shutdown
 * hook removes whatever is still registered when the process is stopped by SIGINT or SIGTERM, so that an interrupted
 * run leaves no hidden {@code .pdediff-*} litter beside its outputs.
 */
public final class TempFiles {
    private static final Map<Path, Runnable> LIVE = new LinkedHashMap<>();
    private static boolean hooked;

    private TempFiles() {
    }

    /** Registers {@code path} for removal at shutdown (a file, or a folder removed with its content). */
    public static synchronized void register(Path path) {
        register(path, () -> deleteRecursively(path));
    }

    /** Registers a clean-up action for {@code path} to run at shutdown unless {@link #release(Path)} is called first. */
    public static synchronized void register(Path path, Runnable cleanup) {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::runAll, "pdediff-temp-cleanup"));
        }
        LIVE.put(path, cleanup);
    }

    /** Forgets {@code path} (it was moved into place or removed). */
    public static synchronized void release(Path path) {
        LIVE.remove(path);
    }

    /** What is registered now (for tests). */
    public static synchronized List<Path> live() {
        return new ArrayList<>(LIVE.keySet());
    }

    /** Runs every registered clean-up now, newest first (what the shutdown hook does). */
    static void runAll() {
        List<Runnable> todo;
        synchronized (TempFiles.class) {
            todo = new ArrayList<>(LIVE.values());
            LIVE.clear();
        }
        for (int i = todo.size() - 1; i >= 0; i--) {
            try {
                todo.get(i).run();
            } catch (RuntimeException ignored) {
                // best effort at shutdown
            }
        }
    }

    /** Removes a file, or a folder with everything in it (links are removed, never followed); best effort. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // a writer may still be adding files while the hook runs: retry a few times
        for (int attempt = 0; attempt < 3 && Files.exists(path, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException ignored) {
                // retried, then given up: the name is hidden and says what it is
            }
        }
    }
}
