package org.pdediff.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pdediff.core.Json;

/**
 * The table of a sweep: {@code sweep.csv} (columns point, status, exit, the grid flags without their dashes, the union
 * of the points' key numbers in order of appearance, error), {@code sweep.json} (the spec and one row per point) and
 * {@code index.html} (the table, each point linked to its report: report.html, else its first plot, else run.json).
 * A function of the spec and the results only: the same sweep gives the same files wherever its points ran.
 */
final class SweepTable {
    private SweepTable() {
    }

    static void write(Sweep sweep, List<PointResult> results) {
        List<SweepPoint> points = sweep.points();
        List<String> flags = new ArrayList<>(sweep.spec().grid().keySet());
        Set<String> keys = new LinkedHashSet<>();
        for (PointResult r : results) {
            keys.addAll(r.results().keySet());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("point", "status", "exit"));
        flags.forEach(f -> header.add(column(f)));
        header.addAll(keys);
        header.add("error");
        csv.append(csvLine(header));
        int failed = 0;
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            PointResult r = results.get(i);
            failed += r.ok() ? 0 : 1;
            Map<String, Object> params = new LinkedHashMap<>();
            p.values().forEach((f, v) -> params.put(column(f), v));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("point", p.id());
            row.put("folder", Sweep.RUNS + "/" + p.id());
            row.put("status", r.status());
            row.put("exit", r.exit());
            row.put("params", params);
            row.put("results", r.results());
            if (!r.ok()) {
                row.put("error", r.error());
            }
            rows.add(row);
            List<String> cells = new ArrayList<>(List.of(p.id(), r.status(), Integer.toString(r.exit())));
            for (String f : flags) {
                cells.add(String.valueOf(p.values().get(f)));
            }
            for (String k : keys) {
                Object v = r.results().get(k);
                cells.add(v == null ? "" : v.toString());
            }
            cells.add(r.error());
            csv.append(csvLine(cells));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spec", sweep.spec().toMap());
        json.put("points", points.size());
        json.put("failed", failed);
        json.put("rows", rows);
        Sweep.writeString(sweep.dir().resolve("sweep.csv"), csv.toString());
        Json.write(sweep.dir().resolve("sweep.json"), json);
        Sweep.writeString(sweep.dir().resolve("index.html"), html(sweep, header, flags, keys, results, failed));
    }

    private static String column(String flag) {
        return flag.replaceFirst("^-+", "");
    }

    private static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append('\n').toString();
    }

    private static String html(Sweep sweep, List<String> header, List<String> flags, Set<String> keys, List<PointResult> results, int failed) {
        SweepSpec spec = sweep.spec();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pdediff sweep</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td.l,th{text-align:left}")
                .append("tr.failed{background:#fdd}code{background:#f4f4f4}</style></head><body>\n")
                .append("<h1>pdediff sweep</h1>\n<p><code>pdediff ").append(esc(String.join(" ", spec.command())));
        spec.args().forEach((f, v) -> h.append(' ').append(esc(f)).append(v instanceof String s ? " " + esc(s) : ""));
        h.append("</code> over ").append(esc(String.join(" × ", flags))).append(": ").append(results.size())
                .append(" points, ").append(failed).append(" failed. Table: <a href=\"sweep.csv\">sweep.csv</a>, ")
                .append("<a href=\"sweep.json\">sweep.json</a>.</p>\n");
        if (!spec.description().isEmpty()) {
            h.append("<p>").append(esc(spec.description())).append("</p>\n");
        }
        h.append("<table>\n<tr>");
        for (String c : header) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("<th>report</th></tr>\n");
        List<SweepPoint> points = sweep.points();
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            PointResult r = results.get(i);
            String folder = Sweep.RUNS + "/" + p.id() + "/";
            h.append(r.ok() ? "<tr>" : "<tr class=\"failed\">")
                    .append("<td class=\"l\"><a href=\"").append(folder).append("\">").append(p.id()).append("</a></td>")
                    .append("<td class=\"l\">").append(r.status()).append("</td><td>").append(r.exit()).append("</td>");
            for (String f : flags) {
                h.append("<td class=\"l\">").append(esc(String.valueOf(p.values().get(f)))).append("</td>");
            }
            for (String k : keys) {
                Object v = r.results().get(k);
                h.append("<td>").append(v == null ? "" : esc(v.toString())).append("</td>");
            }
            h.append("<td class=\"l\">").append(esc(r.error())).append("</td><td class=\"l\">");
            String link = report(sweep.files(p));
            if (link != null) {
                h.append("<a href=\"").append(folder).append(esc(link)).append("\">").append(esc(link)).append("</a>");
            }
            h.append("</td></tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    /** report.html, else the first plot, else run.json (null: nothing to link). */
    private static String report(List<String> files) {
        if (files.contains("report.html")) {
            return "report.html";
        }
        for (String f : files) {
            if (f.endsWith(".png")) {
                return f;
            }
        }
        return files.contains("run.json") ? "run.json" : null;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
