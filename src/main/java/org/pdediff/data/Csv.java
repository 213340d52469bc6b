package org.pdediff.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.AtomicFiles;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;

/**
 * Numeric CSV: one point a row, comma-separated, an optional header line (detected when its first field is not a
 * number). Blank lines are skipped. Every problem is an {@link InvalidInputException} naming the file and line.
 */
public final class Csv {
    private Csv() {
    }

    /** Reads a CSV file of points. */
    public static Batch read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException("cannot read " + path + ": no such file");
        }
        try {
            // a CSV of B bytes holds at most B/2 numbers: 8 bytes each plus the per-row arrays while reading
            org.pdediff.core.Sizes.requireHeap("reading " + path + " (" + org.pdediff.core.Sizes.bytes(Files.size(path)) + ")",
                    Files.size(path) > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : 6 * Files.size(path));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + path + ": " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), -1);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot read " + path + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * Reads CSV rows from a stream.
     *
     * @param name    what to call the source in messages
     * @param columns how many leading columns to keep (−1: all; every row must then have the same count)
     */
    public static Batch read(InputStream in, String name, int columns) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<double[]> rows = new ArrayList<>();
        int d = -1;
        String line;
        int lineNo = 0;
        boolean first = true;
        int headerCols = -1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",", -1);
            if (first) {
                first = false;
                if (!looksNumeric(parts[0].strip())) {
                    headerCols = parts.length;
                    continue; // header
                }
            }
            if (headerCols >= 0 && columns < 0 && parts.length != headerCols) {
                throw new InvalidInputException(name + " line " + lineNo + ": " + parts.length + " fields, but the header has "
                        + headerCols + " columns");
            }
            int keep = columns < 0 ? parts.length : columns;
            if (parts.length < keep || (columns < 0 && d >= 0 && parts.length != d)) {
                throw new InvalidInputException(name + " line " + lineNo + ": " + parts.length + " fields, expected "
                        + (columns < 0 ? d : columns));
            }
            double[] row = new double[keep];
            for (int j = 0; j < keep; j++) {
                String f = parts[j].strip();
                if (!isDecimal(f)) {
                    String t = f.toLowerCase(java.util.Locale.ROOT);
                    if (t.equals("nan") || t.equals("inf") || t.equals("infinity") || t.equals("-inf") || t.equals("+inf")
                            || t.equals("-infinity") || t.equals("+infinity")) {
                        throw new InvalidInputException(name + " line " + lineNo + ", field " + (j + 1) + ": non-finite value '" + f + "'");
                    }
                    throw new InvalidInputException(name + " line " + lineNo + ", field " + (j + 1) + ": '" + f
                            + "' is not a decimal number");
                }
                row[j] = Double.parseDouble(f);
                if (!Double.isFinite(row[j])) {
                    throw new InvalidInputException(name + " line " + lineNo + ", field " + (j + 1) + ": non-finite value '" + f + "'");
                }
            }
            d = keep;
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException(name + ": no data rows (empty file)");
        }
        Batch b = Batch.zeros(rows.size(), d);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, b.data(), i * d, d);
        }
        return b;
    }

    /**
     * A plain decimal number {@code [+-]digits[.digits][(e|E)[+-]digits]} (at least one digit before or after the
     * point). Java's parser also takes {@code 1d}, {@code 2f}, {@code 0x1p3} and {@code Infinity}; a CSV cell is
     * held to what every other CSV reader (NumPy, pandas, R) reads as the same number.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = afterSign(s, 0);
        int end = afterDigits(s, i);
        int digits = end - i;
        i = end;
        if (i < n && s.charAt(i) == '.') {
            end = afterDigits(s, i + 1);
            digits += end - (i + 1);
            i = end;
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int exp = afterSign(s, i + 1);
            i = afterDigits(s, exp);
            if (i == exp) {
                return false;
            }
        }
        return i == n;
    }

    /** The index after an optional sign at i. */
    private static int afterSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    /** The index after the run of ASCII digits that starts at i. */
    private static int afterDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static boolean looksNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        // "nan", "inf", "infinity" are numbers (rejected later as non-finite values), but a column name that merely
        // starts with "inf" or "nan" (infected, info, nan_count) is a header
        String t = s.toLowerCase(java.util.Locale.ROOT);
        return Character.isDigit(c) || c == '-' || c == '+' || c == '.' || t.equals("nan") || t.equals("inf")
                || t.equals("infinity");
    }

    /** Writes points with header {@code x1,...,xd}, full precision (values round-trip exactly), atomically. */
    public static void write(Path path, Batch b) {
        AtomicFiles.write(path, out -> write(out, b));
    }

    /** Writes points with header {@code x1,...,xd} to a stream (flushed, not closed). */
    public static void write(java.io.OutputStream out, Batch b) throws IOException {
        Writer w = new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder sb = new StringBuilder(64);
        for (int j = 1; j <= b.dim(); j++) {
            sb.append(j > 1 ? "," : "").append('x').append(j);
        }
        w.write(sb.append('\n').toString());
        for (int i = 0; i < b.size(); i++) {
            sb.setLength(0);
            for (int j = 0; j < b.dim(); j++) {
                sb.append(j > 0 ? "," : "").append(b.get(i, j));
            }
            w.write(sb.append('\n').toString());
        }
        w.flush();
    }
}
