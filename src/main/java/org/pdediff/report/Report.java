package org.pdediff.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdediff.core.AtomicFiles;

/**
 * A short experiment report written as Markdown ({@code report.md}) and HTML ({@code report.html}) with the same
 * content: paragraphs, tables and PNG images that live beside the report (referenced by file name).
 */
public final class Report {
    private sealed interface Block permits Heading, Paragraph, Table, Image {
    }

    private record Heading(String text) implements Block {
    }

    private record Paragraph(String text) implements Block {
    }

    private record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    private record Image(String file, String caption) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    /** Adds a section heading (modified: the receiver). */
    public Report heading(String text) {
        blocks.add(new Heading(text));
        return this;
    }

    /** Adds a paragraph of plain text (modified: the receiver). */
    public Report paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    /** Adds a table (modified: the receiver). */
    public Report table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    /** Adds an image that lives beside the report (modified: the receiver). */
    public Report image(String fileName, String caption) {
        blocks.add(new Image(fileName, caption));
        return this;
    }

    /** File names of all images referenced. */
    public List<String> images() {
        return blocks.stream().filter(b -> b instanceof Image).map(b -> ((Image) b).file()).toList();
    }

    /** Formats a number for tables: 4 significant digits. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * One table row from values: numbers by {@link #num}, booleans as yes/NO, null as n/a, anything else as its text.
     */
    public static List<String> cells(Object... values) {
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(cell(v));
        }
        return out;
    }

    /** One table cell (see {@link #cells}). */
    public static String cell(Object v) {
        if (v == null) {
            return "n/a";
        }
        if (v instanceof Double || v instanceof Float) {
            return num(((Number) v).doubleValue());
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "NO";
        }
        return v.toString();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("## ").append(h.text()).append("\n\n");
            } else if (b instanceof Paragraph p) {
                sb.append(p.text()).append("\n\n");
            } else if (b instanceof Table t) {
                sb.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                sb.append("---|".repeat(t.header().size())).append('\n');
                for (List<String> r : t.rows()) {
                    sb.append("| ").append(String.join(" | ", r)).append(" |\n");
                }
                sb.append('\n');
            } else if (b instanceof Image im) {
                sb.append("![").append(im.caption()).append("](").append(im.file()).append(")\n\n");
            }
        }
        return sb.toString();
    }

    public String html() {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
                        + "line-height:1.4}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;"
                        + "padding:3px 8px;text-align:right}th{background:#eee}img{max-width:100%;border:1px solid #ddd}"
                        + "figcaption{color:#555;font-size:90%}</style></head><body>\n<h1>")
                .append(esc(title)).append("</h1>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("<h2>").append(esc(h.text())).append("</h2>\n");
            } else if (b instanceof Paragraph p) {
                sb.append("<p>").append(esc(p.text())).append("</p>\n");
            } else if (b instanceof Table t) {
                sb.append("<table><tr>");
                t.header().forEach(c -> sb.append("<th>").append(esc(c)).append("</th>"));
                sb.append("</tr>\n");
                for (List<String> r : t.rows()) {
                    sb.append("<tr>");
                    r.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof Image im) {
                sb.append("<figure><img src=\"").append(esc(im.file())).append("\" alt=\"").append(esc(im.caption()))
                        .append("\"><figcaption>").append(esc(im.caption())).append("</figcaption></figure>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    /** Writes {@code report.md} and {@code report.html} into {@code dir} atomically. */
    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve("report.md"), markdown());
        AtomicFiles.writeString(dir.resolve("report.html"), html());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
