package org.pdediff.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes single files so that nothing half-written or unsafe is ever left behind.
 *
 * <ul>
 * <li>A regular file (or a new name) is written to a hidden temporary twin in the same folder, which is then moved
 * over the target in one step; the twin is created with the process umask (0644 under the usual 022), and when an
 * existing file is replaced its permissions are kept. The twin is removed on every error path and, via
 * {@link TempFiles}, on SIGINT/SIGTERM.</li>
 * <li>A device or a FIFO (anything that exists and is neither a regular file, a folder nor a link) is written
 * <em>to</em>, as a stream: it is never unlinked or replaced.</li>
 * <li>A symbolic link, or a folder, is refused with {@link InvalidInputException} (exit 2).</li>
 * </ul>
 * Whole sets of files (a run's folder) go through {@link OutputSet}.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** {@code -}: the conventional name of standard output where a command writes one file. */
    public static boolean isStdout(Path p) {
        return p != null && p.toString().equals("-");
    }

    /**
     * Checks that {@code target} can be written by {@link #write}: not a link, not a folder. Call before long
     * computations so that a bad {@code --out} fails fast, without creating anything.
     */
    public static void requireWritableFile(Path target) {
        if (Files.isSymbolicLink(target)) {
            throw new InvalidInputException("refusing to write through the symbolic link " + target
                    + " (give the path it points to)");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("cannot write " + target + ": it is a folder");
        }
    }

    /** Writes {@code target} atomically (or as a stream to a device or FIFO); failures become {@link InvalidInputException}. */
    public static void write(Path target, Writer writer) {
        requireWritableFile(target);
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            // a device or a FIFO: write to it, never replace it
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(abs, StandardOpenOption.WRITE), 1 << 16)) {
                writer.write(out);
            } catch (IOException | UncheckedIOException e) {
                throw new InvalidInputException("cannot write " + target + ": " + describe(e));
            }
            return;
        }
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createTwin(dir, abs.getFileName().toString());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 16)) {
                writer.write(out);
            }
            keepPermissions(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            TempFiles.release(tmp);
            tmp = null;
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException("cannot write " + target + ": " + describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after its target
                }
                TempFiles.release(tmp);
            }
        }
    }

    /** A new, empty, hidden file beside the target, created with the umask's mode and registered for clean-up. */
    private static Path createTwin(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                // newOutputStream(CREATE_NEW) uses mode 0666 & ~umask, unlike createTempFile's 0600
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                TempFiles.register(tmp);
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    /** When a regular file is replaced, the new one keeps its permissions (POSIX file systems only). */
    static void keepPermissions(Path old, Path replacement) {
        try {
            if (Files.isRegularFile(old, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(old, LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(replacement, p);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not POSIX, or not ours to read: the umask's mode stays
        }
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path target, String content) {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Makes sure {@code dir} exists (or can be made) and is writable; throws {@link InvalidInputException} otherwise.
     * Prefer {@link OutputSet}, which creates nothing until the run succeeds.
     */
    public static Path requireWritableDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInputException("cannot create output folder " + dir + ": " + describe(e));
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new InvalidInputException("output folder " + dir + " is not writable");
        }
        return dir;
    }

    /** A short human reason for an I/O failure (no exception class names). */
    static String describe(Exception e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "a file is in the way";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null ? "I/O error" : m;
    }
}
