package org.uga.ml.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.select.PatchRegion;
import org.uga.ml.uncertainty.UncertaintyMap;

/** Self-contained report.html: table, Dice-vs-patches SVG chart, and illustrated pool tiles as PNG data URIs. */
final class ExperimentReport {

    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"};

    private ExperimentReport() {
    }

    /** Pool tiles holding the first strategy's top patches (seed 0), then others, up to {@code n}. */
    static List<Tile> pickTiles(List<Tile> pool, Map<String, List<PatchRegion>> selections, int n) {
        Set<String> ids = new LinkedHashSet<>();
        for (List<PatchRegion> regions : selections.values()) {
            for (PatchRegion r : regions) {
                if (ids.size() < n) {
                    ids.add(r.imageId());
                }
            }
            if (ids.size() >= n) {
                break;
            }
        }
        for (Tile t : pool) {
            if (ids.size() >= n) {
                break;
            }
            ids.add(t.id());
        }
        List<Tile> out = new ArrayList<>();
        for (String id : ids) {
            pool.stream().filter(t -> t.id().equals(id)).findFirst().ifPresent(out::add);
        }
        return out;
    }

    static void write(ExperimentResult r, List<Tile> tiles, Map<String, float[]> predictions,
                      Map<String, UncertaintyMap> maps, Map<String, List<PatchRegion>> selections, Path file)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 20);
        ExperimentResult.Setup s = r.setup();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>UGA experiment</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #bbb;padding:4px 10px;text-align:right}th{background:#eee}"
                        + ".tiles td{text-align:center;vertical-align:top;font-size:12px}img{image-rendering:pixelated}"
                        + "code{background:#f4f4f4}</style></head><body>\n")
                .append("<h1>Uncertainty-guided annotation: simulated experiment</h1>\n");
        h.append("<p>Central <code>").append(esc(s.central())).append("</code> (").append(s.centralTrainTiles())
                .append(" train + ").append(s.centralValidationTiles()).append(" validation tiles); pool <code>")
                .append(esc(s.pool())).append("</code> (").append(s.poolTiles()).append(" tiles); test <code>")
                .append(esc(s.test())).append("</code> (").append(s.testTiles()).append(" tiles).<br>Split: ")
                .append(esc(s.splitRule())).append(".<br>Estimator <b>").append(esc(s.estimator())).append("</b> (")
                .append(s.estimatorModels()).append(" model(s)), measure <b>").append(esc(s.measure()))
                .append("</b>, patches ").append(s.patchSize()).append("×").append(s.patchSize()).append(", ")
                .append(s.seeds()).append(" seed(s), replay ratio ").append(s.replayRatio()).append(".<br>Network ")
                .append(esc(s.unet())).append("<br>Central training ").append(esc(s.centralTraining()))
                .append("<br>Fine-tuning ").append(esc(s.fineTuning())).append("</p>\n");

        h.append("<h2>Test Dice (mean ± sd over seeds)</h2>\n<table><tr><th>patches</th>");
        for (String st : s.strategies()) {
            h.append("<th>").append(esc(st)).append("</th>");
        }
        h.append("</tr>\n");
        for (int b : s.budgets()) {
            h.append("<tr><td>").append(b).append("</td>");
            for (String st : s.strategies()) {
                ExperimentResult.Summary x = r.summary(st, b);
                h.append(String.format(Locale.ROOT, "<td>%.4f ± %.4f</td>", x.meanDice(), x.sdDice()));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n").append(chart(r)).append('\n');

        h.append("<h2>Timing</h2><table><tr><th>phase</th><th>seconds</th></tr>");
        for (Map.Entry<String, Double> e : r.phases().entrySet()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td></tr>", esc(e.getKey()), e.getValue()));
        }
        h.append(String.format(Locale.ROOT, "<tr><th>total</th><th>%.1f</th></tr></table>\n", r.totalSeconds()));

        h.append("<h2>Pool tiles</h2><p>Selected patches (seed 0, largest budget) outlined: ");
        int ci = 0;
        for (String st : selections.keySet()) {
            h.append("<span style=\"color:").append(COLORS[ci++ % COLORS.length]).append("\">■ ").append(esc(st))
                    .append("</span> ");
        }
        h.append("</p>\n<table class=\"tiles\"><tr><th>image</th><th>ground truth</th><th>central prediction</th>"
                + "<th>uncertainty</th><th>selected patches</th></tr>\n");
        for (Tile t : tiles) {
            UncertaintyMap m = maps.get(t.id());
            float max = 0;
            for (float v : m.uncertainty()) {
                max = Math.max(max, v);
            }
            h.append("<tr>")
                    .append(cell(Images.toImage(t), t.id()))
                    .append(cell(Images.maskToImage(t.mask(), t.width(), t.height()), "mask"))
                    .append(cell(Images.heatMap(predictions.get(t.id()), t.width(), t.height(), 0, 1), "P(nucleus)"))
                    .append(cell(Images.heatMap(m.uncertainty(), t.width(), t.height(), 0, max > 0 ? max : 1),
                            String.format(Locale.ROOT, "max %.3f", max)))
                    .append(cell(outlined(t, selections), "patches"))
                    .append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Runs</h2><table><tr><th>strategy</th><th>seed</th><th>patches</th><th>test Dice</th>"
                + "<th>epochs</th><th>best epoch</th><th>seconds</th></tr>\n");
        for (ExperimentResult.Run run : r.runs()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.4f</td><td>%d</td>"
                            + "<td>%d</td><td>%.1f</td></tr>%n", esc(run.strategy()), run.seed(), run.budget(),
                    run.testDice(), run.epochsRun(), run.bestEpoch(), run.seconds()));
        }
        h.append("</table>\n</body></html>\n");
        Files.writeString(file, h.toString());
    }

    private static BufferedImage outlined(Tile t, Map<String, List<PatchRegion>> selections) {
        BufferedImage img = Images.toImage(t);
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(2f));
        int ci = 0;
        for (List<PatchRegion> regions : selections.values()) {
            g.setColor(Color.decode(COLORS[ci++ % COLORS.length]));
            for (PatchRegion p : regions) {
                if (p.imageId().equals(t.id())) {
                    g.drawRect(p.x() + 1, p.y() + 1, p.width() - 2, p.height() - 2);
                }
            }
        }
        g.dispose();
        return img;
    }

    private static String cell(BufferedImage img, String caption) throws IOException {
        String data = Base64.getEncoder().encodeToString(Images.encodePng(img));
        return "<td><img alt=\"" + esc(caption) + "\" src=\"data:image/png;base64," + data + "\"><br>"
                + esc(caption.length() > 24 ? caption.substring(0, 24) + "…" : caption) + "</td>";
    }

    /** Dice vs number of patches, one line per strategy, error bars = sd over seeds. */
    static String chart(ExperimentResult r) {
        int w = 560;
        int h = 340;
        int left = 60;
        int right = 130;
        int top = 20;
        int bottom = 45;
        List<Integer> budgets = r.setup().budgets();
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (ExperimentResult.Summary s : r.summary()) {
            lo = Math.min(lo, s.meanDice() - s.sdDice());
            hi = Math.max(hi, s.meanDice() + s.sdDice());
        }
        double pad = Math.max(0.005, (hi - lo) * 0.1);
        lo -= pad;
        hi += pad;
        int maxB = budgets.get(budgets.size() - 1);
        int minB = budgets.get(0);
        double bSpan = Math.max(1, maxB - minB);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">", w, h));
        int pw = w - left - right;
        int ph = h - top - bottom;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>", left, top, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double y = top + ph - ph * (v - lo) / (hi - lo);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>", left, left + pw, y, y, left - 5, y + 4, v));
        }
        for (int b : budgets) {
            double x = left + pw * (b - minB) / bSpan;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", x,
                    top + ph + 16, b));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">annotated patches</text>",
                left + pw / 2, h - 8));
        svg.append(String.format(Locale.ROOT, "<text transform=\"rotate(-90)\" x=\"%d\" y=\"14\" "
                + "text-anchor=\"middle\">test Dice</text>", -(top + ph / 2)));
        int ci = 0;
        for (String st : r.setup().strategies()) {
            String color = COLORS[ci % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (int b : budgets) {
                ExperimentResult.Summary s = r.summary(st, b);
                double x = left + pw * (b - minB) / bSpan + (ci - 0.5) * 3;
                double y = top + ph - ph * (s.meanDice() - lo) / (hi - lo);
                double y1 = top + ph - ph * (s.meanDice() - s.sdDice() - lo) / (hi - lo);
                double y2 = top + ph - ph * (s.meanDice() + s.sdDice() - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"%s\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", x, x, y1, y2, color,
                        x, y, color));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>", pts.toString().trim(), color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", left + pw + 10,
                    top + 16 + 18 * ci, color, esc(st)));
            ci++;
        }
        svg.append("</svg>");
        return svg.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
