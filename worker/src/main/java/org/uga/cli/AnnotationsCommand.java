package org.uga.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.uga.imaging.Images;
import org.uga.imaging.annotations.Annotation;
import org.uga.imaging.annotations.AnnotationDocument;
import org.uga.imaging.annotations.AnnotationFiles;
import org.uga.imaging.annotations.AnnotationFormat;
import org.uga.imaging.annotations.AnnotationFormatException;
import org.uga.imaging.annotations.MaskVectorizer;
import org.uga.imaging.annotations.Polygon;
import org.uga.imaging.annotations.PolygonRasterizer;

/** {@code uga annotations rasterize|vectorize|convert}: annotation files to masks and back, for scripted data prep. */
public final class AnnotationsCommand implements Command {

    @Override
    public String summary() {
        return "convert annotations (QuPath GeoJSON, ASAP XML, ImageScope XML) to masks and masks to annotations";
    }

    @Override
    public String usage() {
        return """
                Usage:
                  uga annotations rasterize --in FILE --width W --height H [--offset-x X] [--offset-y Y] [--scale S]
                                            [--class A,B] [--exclude _2,Exclusion] --out mask.png
                  uga annotations vectorize --in mask.png --format geojson|asap|imagescope --out FILE
                                            [--class NAME] [--simplify PX] [--min-area PX] [--offset-x X] [--offset-y Y] [--scale S]
                  uga annotations convert   --in FILE --format geojson|asap|imagescope --out FILE

                rasterize  The input format is detected from the content. The mask covers the level-0 region starting
                           at (offset-x, offset-y), each mask pixel spanning --scale level-0 pixels (the downsample of
                           the level the mask is for); a pixel is inside when its centre is (even-odd, holes honoured).
                           --class keeps only annotations of those classes; classes in --exclude (default _2 and
                           Exclusion, the Camelyon convention) are cut out. Writes a 0/255 grayscale PNG.
                vectorize  Non-zero pixels are foreground; each 8-connected object becomes a polygon with its holes, in
                           level-0 coordinates via --offset-x/--offset-y/--scale. --simplify (default 0.5 mask pixels,
                           0 = exact staircase) trims vertices; --min-area drops specks. --class names the class
                           (default Tumor). ASAP has no holes: they are written as group _2 (Camelyon exclusion).
                convert    Re-writes annotations in another format.

                Malformed input fails with the line and element at fault; the output file is only written on success.""";
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) {
            throw new Args.UsageException("missing subcommand: rasterize, vectorize or convert");
        }
        return switch (pos.get(0)) {
            case "rasterize" -> rasterize(args);
            case "vectorize" -> vectorize(args);
            case "convert" -> convert(args);
            default -> throw new Args.UsageException("unknown subcommand '" + pos.get(0) + "': rasterize, vectorize or convert");
        };
    }

    private int rasterize(Args args) throws Exception {
        Path in = existing(args.require("in"));
        int width = positive(args, "width");
        int height = positive(args, "height");
        double offsetX = args.getDouble("offset-x", 0);
        double offsetY = args.getDouble("offset-y", 0);
        double scale = args.getDouble("scale", 1);
        Set<String> classes = new HashSet<>(args.list("class", null));
        Set<String> exclude = new HashSet<>(args.list("exclude", String.join(",", PolygonRasterizer.EXCLUSION_CLASSES)));
        Path out = Path.of(args.require("out"));
        args.rejectUnknown();
        if (!(scale > 0)) {
            throw new Args.UsageException("--scale must be positive, got " + scale);
        }
        AnnotationDocument doc = readAnnotations(in);
        byte[] mask = PolygonRasterizer.rasterizeAnnotations(doc.annotations(), classes, exclude, width, height,
                offsetX, offsetY, scale);
        writePng(Images.maskImage(mask, width, height), out);
        long on = 0;
        for (byte b : mask) {
            on += b;
        }
        doc.warnings().forEach(w -> System.err.println("warning: " + w));
        System.out.printf("%s: %d annotations (%s) -> %s %dx%d, %d foreground pixels (%.2f%%)%n", in.getFileName(),
                doc.annotations().size(), doc.format(), out, width, height, on, 100.0 * on / ((long) width * height));
        return 0;
    }

    private int vectorize(Args args) throws Exception {
        Path in = existing(args.require("in"));
        AnnotationFormat format = format(args.require("format"));
        Path out = Path.of(args.require("out"));
        String cls = args.get("class", "Tumor");
        double simplify = args.getDouble("simplify", 0.5);
        double minArea = args.getDouble("min-area", 0);
        double offsetX = args.getDouble("offset-x", 0);
        double offsetY = args.getDouble("offset-y", 0);
        double scale = args.getDouble("scale", 1);
        args.rejectUnknown();
        BufferedImage img = ImageIO.read(in.toFile());
        if (img == null) {
            throw new IllegalArgumentException(in + " is not an image ImageIO can read (PNG, TIFF, JPEG)");
        }
        MaskVectorizer.Options opts;
        try {
            opts = new MaskVectorizer.Options(simplify, minArea, offsetX, offsetY, scale);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        byte[] mask = Images.maskFromImage(img);
        List<Polygon> polygons = MaskVectorizer.vectorize(mask, img.getWidth(), img.getHeight(), opts);
        List<Annotation> annotations = new java.util.ArrayList<>();
        for (int i = 0; i < polygons.size(); i++) {
            annotations.add(new Annotation(cls + " " + (i + 1), cls, List.of(polygons.get(i)), 0xC80000));
        }
        AnnotationFiles.write(format, annotations, out);
        int holes = polygons.stream().mapToInt(p -> p.holes().size()).sum();
        System.out.printf("%s: %d objects (%d holes) -> %s (%s)%n", in.getFileName(), polygons.size(), holes, out, format);
        return 0;
    }

    private int convert(Args args) throws Exception {
        Path in = existing(args.require("in"));
        AnnotationFormat format = format(args.require("format"));
        Path out = Path.of(args.require("out"));
        args.rejectUnknown();
        AnnotationDocument doc = readAnnotations(in);
        AnnotationFiles.write(format, doc.annotations(), out);
        doc.warnings().forEach(w -> System.err.println("warning: " + w));
        System.out.printf("%s (%s): %d annotations -> %s (%s)%n", in.getFileName(), doc.format(), doc.annotations().size(),
                out, format);
        return 0;
    }

    private static AnnotationDocument readAnnotations(Path in) throws Exception {
        try {
            return AnnotationFiles.read(in);
        } catch (AnnotationFormatException e) {
            throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
    }

    private static AnnotationFormat format(String name) {
        try {
            return AnnotationFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    private static Path existing(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new Args.UsageException("input file " + file + " does not exist");
        }
        return p;
    }

    private static int positive(Args args, String name) {
        int v = args.getInt(name, -1);
        if (v == -1 && !args.has(name)) {
            throw new Args.UsageException("missing required option --" + name);
        }
        if (v <= 0 || v > 100_000) {
            throw new Args.UsageException("--" + name + " must be between 1 and 100000, got " + v);
        }
        return v;
    }

    /** PNG written beside the target and moved into place: no half-written mask on failure. */
    private static void writePng(BufferedImage img, Path out) throws Exception {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer available");
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
