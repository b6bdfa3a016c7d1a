package org.uga.demo;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.uga.activities.CampaignData;
import org.uga.activities.SlideScoring;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;

/**
 * Writes {@code report.html}: one self-contained page (images as data URIs, charts as inline SVG, no network)
 * with the Dice curves of the UGA campaign and its random twin, each cycle's uncertainty heat maps with the
 * selected patches outlined, and before/after predictions on held-out local tiles.
 */
public final class DemoReport {

    /** Predicts a tile's foreground probability with the checkpoint stored at a model key. */
    public interface Predictor {
        float[] predict(String modelKey, Tile tile);
    }

    /** One campaign's outcome as the report shows it. */
    /** @param annotated every accepted annotation of the campaign, all cycles (the status query holds only the last) */
    record Arm(String label, String campaignId, CampaignStatus status, List<AnnotatedPatch> annotated, Color color) {
    }

    private final ObjectStore store;
    private final DemoData data;
    private final Predictor predictor;

    DemoReport(ObjectStore store, DemoData data, Predictor predictor) {
        this.store = store;
        this.data = data;
        this.predictor = predictor;
    }

    /** Rows of the summary table: cycle → patches so far, Dice per arm (cycle 0 = the starting model). */
    static List<String[]> table(List<Arm> arms) {
        List<String[]> rows = new ArrayList<>();
        int cycles = arms.stream().mapToInt(a -> a.status().cycles().size()).max().orElse(0);
        String[] header = new String[2 + arms.size()];
        header[0] = "cycle";
        header[1] = "patches so far";
        for (int i = 0; i < arms.size(); i++) {
            header[2 + i] = "Dice (" + arms.get(i).label() + ")";
        }
        rows.add(header);
        for (int cycle = 0; cycle <= cycles; cycle++) {
            final int c = cycle;
            String[] row = new String[2 + arms.size()];
            row[0] = Integer.toString(c);
            int patches = 0;
            for (int i = 0; i < arms.size(); i++) {
                List<CycleSummary> cs = arms.get(i).status().cycles();
                Double dice = c == 0 ? (cs.isEmpty() ? null : cs.get(0).diceBefore()) : keptDice(cs, c);
                int p = cs.stream().filter(s -> s.cycle() <= c).mapToInt(CycleSummary::patchesAnnotated).sum();
                patches = Math.max(patches, p);
                row[2 + i] = dice == null ? "-" : String.format(Locale.ROOT, "%.3f", dice);
            }
            row[1] = Integer.toString(patches);
            rows.add(row);
        }
        return rows;
    }

    /** Dice of the model kept as current after cycle {@code c} (the better of before/after: never a regression). */
    static Double keptDice(List<CycleSummary> cycles, int c) {
        for (CycleSummary s : cycles) {
            if (s.cycle() == c) {
                if (s.accepted() && s.diceAfter() != null) {
                    return s.diceAfter();
                }
                return s.diceBefore();
            }
        }
        return null;
    }

    static String formatTable(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            for (int i = 0; i < cols; i++) {
                sb.append(i == 0 ? "" : "  ").append(String.format("%" + width[i] + "s", r[i]));
            }
            sb.append('\n');
            if (k == 0) {
                for (int i = 0; i < cols; i++) {
                    sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    Path write(Path out, List<Arm> arms, String settings, List<String> events) throws IOException {
        Files.createDirectories(out);
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>UGA demo report</title>")
                .append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("figure{display:inline-block;margin:4px;text-align:center;font-size:12px}")
                .append("img{image-rendering:pixelated;border:1px solid #ddd}h2{margin-top:1.6em}")
                .append(".muted{color:#666;font-size:13px}</style></head><body>");
        h.append("<h1>UGA demo: uncertainty-guided vs random patch selection</h1>");
        h.append("<p class=\"muted\">").append(esc(settings)).append("</p>");

        h.append("<h2>Dice on held-out local tiles</h2>");
        List<String[]> rows = table(arms);
        h.append("<table>");
        for (int i = 0; i < rows.size(); i++) {
            h.append("<tr>");
            for (String cell : rows.get(i)) {
                h.append(i == 0 ? "<th>" : "<td>").append(esc(cell)).append(i == 0 ? "</th>" : "</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        h.append(diceChart(arms));

        for (Arm arm : arms) {
            h.append("<h2>").append(esc(arm.label())).append(" campaign <code>").append(esc(arm.campaignId()))
                    .append("</code></h2>");
            h.append("<p class=\"muted\">").append(esc(cycleNotes(arm.status()))).append("</p>");
            Map<Integer, List<AnnotatedPatch>> byCycle = arm.annotated().stream()
                    .collect(Collectors.groupingBy(AnnotatedPatch::cycle, java.util.TreeMap::new, Collectors.toList()));
            for (Map.Entry<Integer, List<AnnotatedPatch>> e : byCycle.entrySet()) {
                h.append("<h3>Cycle ").append(e.getKey()).append(": uncertainty with the annotated patches</h3>");
                Map<String, List<AnnotatedPatch>> byImage = e.getValue().stream()
                        .collect(Collectors.groupingBy(AnnotatedPatch::imageId, LinkedHashMap::new, Collectors.toList()));
                int shown = 0;
                for (Map.Entry<String, List<AnnotatedPatch>> img : byImage.entrySet()) {
                    if (shown++ >= 6) {
                        break;
                    }
                    Tile tile = tile(img.getKey());
                    float[] heat = uncertainty(arm.campaignId(), e.getKey(), img.getKey(), tile);
                    List<Rectangle> boxes = img.getValue().stream()
                            .map(p -> new Rectangle(p.x(), p.y(), p.w(), p.h())).toList();
                    BufferedImage pic = Images.overlay(tile, heat, heat == null ? 0 : 0.55, null, boxes, Color.RED);
                    String caption = img.getKey() + " — annotated by " + img.getValue().stream()
                            .map(AnnotatedPatch::annotator).distinct().collect(Collectors.joining(", "));
                    h.append(figure(pic, caption, 2));
                }
            }
        }

        h.append("<h2>Before / after on held-out local tiles</h2>");
        h.append("<p class=\"muted\">image, truth, the starting model, and each campaign's final model "
                + "(foreground probability ≥ 0.5 outlined in yellow).</p>");
        String initialModel = arms.get(0).status().cycles().isEmpty() ? null
                : firstModel(arms.get(0).status());
        int shown = 0;
        for (String id : data.validationIds()) {
            if (shown++ >= 3) {
                break;
            }
            Tile t = data.localTiles().get(id);
            h.append("<div>");
            h.append(figure(Images.toImage(t), id, 2));
            h.append(figure(Images.overlay(t, null, 0, t.mask(), List.of(), null), "truth", 2));
            if (initialModel != null) {
                h.append(figure(prediction(initialModel, t), "starting model", 2));
            }
            for (Arm arm : arms) {
                if (arm.status().currentModelKey() != null) {
                    h.append(figure(prediction(arm.status().currentModelKey(), t), arm.label() + " final", 2));
                }
            }
            h.append("</div>");
        }

        if (!events.isEmpty()) {
            h.append("<h2>What happened</h2><ul>");
            for (String ev : events) {
                h.append("<li>").append(esc(ev)).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("</body></html>\n");
        Path file = out.resolve("report.html");
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static String firstModel(CampaignStatus status) {
        if (!status.lineage().isEmpty()) {
            String parent = status.lineage().get(0).parentKey();
            return parent != null ? parent : status.lineage().get(0).modelKey();
        }
        return status.currentModelKey();
    }

    private BufferedImage prediction(String modelKey, Tile t) {
        float[] p = predictor.predict(modelKey, t);
        byte[] m = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = (byte) (p[i] >= 0.5f ? 1 : 0);
        }
        return Images.overlay(t, p, 0.35, m, List.of(), null);
    }

    /** A local tile, or a window of the demo's slide (a region read, as the campaign's activities do). */
    private Tile tile(String imageId) {
        Tile t = data.localTiles().get(imageId);
        return t != null ? t : new CampaignData(store).tile(null, imageId, false);
    }

    private float[] uncertainty(String campaignId, int cycle, String imageId, Tile tile) {
        if (SlideScoring.SlideWindow.isWindowId(imageId)) {
            try {
                return SlideScoring.readWindowMaps(new CampaignData(store), campaignId, cycle,
                        SlideScoring.SlideWindow.parse(imageId)).uncertainty();
            } catch (RuntimeException e) {
                return null; // maps not stored (yet): the window without a heat map
            }
        }
        try {
            Images.FloatMap map = Images.floatMapFromBytes(
                    store.getBytes(ObjectKeys.uncertaintyMap(campaignId, cycle, imageId)));
            if (map.width() == tile.width() && map.height() == tile.height()) {
                return map.values();
            }
        } catch (NotFoundException e) {
            // Not scored in this cycle (or stored elsewhere): show the tile without a heat map.
        }
        return null;
    }

    private static String cycleNotes(CampaignStatus s) {
        return s.cycles().stream().map(c -> "cycle " + c.cycle() + ": " + c.patchesAnnotated() + " annotated, "
                        + c.patchesSkipped() + " skipped, " + c.patchesOverdue() + " overdue; Dice "
                        + fmt(c.diceBefore()) + " → " + fmt(c.diceAfter()) + (c.accepted() ? " (kept)" : " (rejected)")
                        + (c.note() == null || c.note().isBlank() ? "" : " — " + c.note()))
                .collect(Collectors.joining(" | "));
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static String figure(BufferedImage img, String caption, int scale) {
        try {
            String b64 = Base64.getEncoder().encodeToString(Images.encodePng(img));
            return "<figure><img width=\"" + img.getWidth() * scale + "\" src=\"data:image/png;base64," + b64
                    + "\" alt=\"" + esc(caption) + "\"><figcaption>" + esc(caption) + "</figcaption></figure>";
        } catch (IOException e) {
            return "<figure>" + esc(caption) + ": " + esc(e.getMessage()) + "</figure>";
        }
    }

    private static String diceChart(List<Arm> arms) {
        int w = 580;
        int hgt = 300;
        int pad = 45;
        List<List<double[]>> series = new ArrayList<>();
        double maxX = 1;
        double minY = 1;
        double maxY = 0;
        for (Arm arm : arms) {
            List<double[]> pts = new ArrayList<>();
            List<CycleSummary> cs = arm.status().cycles();
            if (!cs.isEmpty() && cs.get(0).diceBefore() != null) {
                pts.add(new double[] {0, cs.get(0).diceBefore()});
            }
            int patches = 0;
            for (CycleSummary c : cs) {
                patches += c.patchesAnnotated();
                Double d = keptDice(cs, c.cycle());
                if (d != null) {
                    pts.add(new double[] {patches, d});
                }
            }
            for (double[] p : pts) {
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
            series.add(pts);
        }
        double lo = Math.max(0, Math.floor((minY - 0.05) * 10) / 10);
        double hi = Math.min(1, Math.ceil((maxY + 0.05) * 10) / 10);
        if (hi <= lo) {
            hi = lo + 0.1;
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(w).append("\" height=\"").append(hgt)
                .append("\" font-size=\"12\">");
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", pad,
                hgt - pad, w - 70, hgt - pad));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", pad, pad,
                hgt - pad));
        for (int k = 0; k <= 4; k++) {
            double v = lo + (hi - lo) * k / 4;
            double y = hgt - pad - (hgt - pad - 10) * k / 4.0;
            s.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%.1f\">%.2f</text>", y + 4, v));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">annotated patches</text>", w / 2 - 50, hgt - 8));
        for (int i = 0; i < arms.size(); i++) {
            Color c = arms.get(i).color();
            String col = String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
            StringBuilder path = new StringBuilder();
            for (double[] p : series.get(i)) {
                double x = pad + (w - 70 - pad) * p[0] / maxX;
                double y = hgt - pad - (hgt - pad - 10) * (p[1] - lo) / (hi - lo);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, col));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%.3f</text>", x + 4,
                        y - 4, col, p[1]));
            }
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(col)
                    .append("\" stroke-width=\"2\"/>");
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", w - 150, 24 + 16 * i,
                    col, esc(arms.get(i).label())));
        }
        s.append("</svg>");
        return s.toString();
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
