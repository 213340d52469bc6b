package org.pdediff.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run's output folder (samples.csv, run.json, the PNGs, trajectories), replaced as a whole.
 *
 * <p>Every file is written into a hidden staging folder beside the target ({@code .NAME.pdediff-XXXX.tmp});
 * {@link #commit()} moves the staging folder into place at the end. So an interrupted or failed run leaves the
 * previous run intact — never a mix of old and new files — and stale files of an earlier run (trajectory CSVs of
 * other times, heat maps of other times) do not survive a new run into the same folder. {@link #close()} without a
 * commit removes the staging folder and any parent folders this set created (an input error leaves no empty output
 * folder behind), and a shutdown hook ({@link TempFiles}) does the same on SIGINT/SIGTERM.
 *
 * <p>What the target may be: a new name; an empty folder (the files are moved into it); or a folder written by
 * pdediff before (one holding a {@code run.json} with {@code command} and {@code version}), which is swapped for the
 * new one and then removed. Anything else — a non-empty folder of someone else's, a regular file, a device, a FIFO —
 * is refused with {@link InvalidInputException} (exit 2) before anything is created, and so is a folder that holds
 * one of the run's inputs (a model, a CSV), which the swap would delete; a symbolic link to a folder is
 * followed (the link itself is never replaced). Folders are created with the process umask; a replaced folder's
 * permissions are kept.
 *
 * <pre>{@code
 * try (OutputSet set = OutputSet.open(out)) {
 *     Csv.write(set.resolve("samples.csv"), samples);
 *     rec.writeTo(set.dir());
 *     set.commit();
 * }
 * }</pre>
 */
public final class OutputSet implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final List<Path> createdParents;
    private final String shown;
    private boolean committed;
    private boolean closed;

    private OutputSet(Path target, Path staging, List<Path> createdParents, String shown) {
        this.target = target;
        this.staging = staging;
        this.createdParents = createdParents;
        this.shown = shown;
    }

    /**
     * Checks {@code out} and opens a staging folder beside it; nothing is created at {@code out} until
     * {@link #commit()}. Throws {@link InvalidInputException} when {@code out} cannot be an output folder.
     */
    public static OutputSet open(Path out, Path... inputs) {
        String shown = out.toString();
        if (AtomicFiles.isStdout(out)) {
            throw new InvalidInputException("--out -: this command writes a folder of files, not one stream; give a folder");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(target)) {
            try {
                target = target.toRealPath();
            } catch (IOException e) {
                throw new InvalidInputException("output folder " + shown + " is a symbolic link that points nowhere");
            }
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("output folder " + shown + " is a symbolic link to something that is not a folder");
            }
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("output folder " + shown + " exists and is not a folder");
            }
            if (!isEmpty(target) && !isOurs(target)) {
                throw new InvalidInputException("output folder " + shown + " is not empty and holds no pdediff run.json"
                        + " of a sample, pde, metrics, score-check, demo or experiment run; give a new or empty folder"
                        + " (an output folder is replaced as a whole)");
            }
            for (Path in : inputs) {
                if (in != null && inside(in, target)) {
                    throw new InvalidInputException("output folder " + shown + " holds the input " + in
                            + ", which the new run would replace; give another folder");
                }
            }
        }
        Path parent = target.getParent();
        if (parent == null) {
            throw new InvalidInputException("cannot use " + shown + " as an output folder");
        }
        List<Path> created = new ArrayList<>();
        Path staging = null;
        try {
            createParents(parent, created);
            for (int attempt = 0; staging == null; attempt++) {
                Path p = parent.resolve("." + target.getFileName() + ".pdediff-"
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    Files.createDirectory(p); // mode 0777 & ~umask
                    staging = p;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            removeCreated(created);
            throw new InvalidInputException("cannot create output folder " + shown + ": " + AtomicFiles.describe(e));
        }
        OutputSet set = new OutputSet(target, staging, created, shown);
        Path st = staging;
        TempFiles.register(st, () -> {
            TempFiles.deleteRecursively(st);
            removeCreated(created);
        });
        return set;
    }

    /** The folder to write into now (the staging folder until {@link #commit()}). */
    public Path dir() {
        return staging;
    }

    /** {@code dir().resolve(name)}. */
    public Path resolve(String name) {
        return staging.resolve(name);
    }

    /** Where the set will be (absolute; a followed link resolved). */
    public Path target() {
        return target;
    }

    /** Moves the staged files into place: the target now holds exactly this run's files. */
    public void commit() {
        if (closed || committed) {
            throw new IllegalStateException("output set already " + (committed ? "committed" : "closed"));
        }
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && isEmpty(target)) {
                // an empty folder (perhaps the working directory): move the files into it, keep the folder itself
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
                    for (Path p : ds) {
                        move(p, target.resolve(p.getFileName().toString()));
                    }
                }
                Files.delete(staging);
            } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // a folder of an earlier run: swap it out, swap the new one in, remove the old one
                Path old = target.resolveSibling("." + target.getFileName() + ".pdediff-old-"
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                AtomicFiles.keepPermissions(target, staging);
                move(target, old);
                TempFiles.register(old, () -> {
                    // interrupted between the two moves: put the earlier run back
                    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            Files.move(old, target);
                        } catch (IOException ignored) {
                            // nothing more to do at shutdown
                        }
                    } else {
                        TempFiles.deleteRecursively(old);
                    }
                });
                try {
                    move(staging, target);
                } catch (IOException e) {
                    move(old, target);
                    TempFiles.release(old);
                    throw e;
                }
                TempFiles.release(old);
                TempFiles.deleteRecursively(old);
            } else {
                move(staging, target);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot write output folder " + shown + ": " + AtomicFiles.describe(e));
        }
        committed = true;
        TempFiles.release(staging);
    }

    /** Without a commit: removes the staging folder and the parent folders this set created. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            TempFiles.deleteRecursively(staging);
            removeCreated(createdParents);
            TempFiles.release(staging);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void createParents(Path dir, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            created.add(0, p); // deepest first
        }
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NotDirectoryException(dir.toString());
        }
    }

    private static void removeCreated(List<Path> created) {
        for (Path p : created) {
            try {
                Files.deleteIfExists(p); // only when empty
            } catch (IOException ignored) {
                // not empty any more (someone else wrote there): keep it
            }
        }
    }

    static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean inside(Path file, Path dir) {
        try {
            Path f = file.toAbsolutePath().normalize();
            if (Files.exists(f)) {
                f = f.toRealPath();
            }
            return f.startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A folder written by pdediff: its run.json is a JSON object with {@code command} and {@code version}, of a
     * command other than {@code train} (whose folder holds models that other runs read).
     */
    static boolean isOurs(Path dir) {
        Path run = dir.resolve("run.json");
        if (!Files.isRegularFile(run, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            var node = Json.MAPPER.readTree(run.toFile());
            return node != null && node.isObject() && node.hasNonNull("command") && node.hasNonNull("version")
                    && !node.get("command").asText().equals("train");
        } catch (IOException e) {
            return false;
        }
    }
}
