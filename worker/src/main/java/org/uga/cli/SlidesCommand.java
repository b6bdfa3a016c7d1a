package org.uga.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.SlideInfo;
import org.uga.imaging.SlideLevel;
import org.uga.imaging.SlidePreview;
import org.uga.imaging.TiledTiffWriter;
import org.uga.imaging.TissueDetector;
import org.uga.imaging.TissueMask;
import org.uga.ml.data.HeGenerator.StainShift;

/**
 * {@code uga slides info|preview|generate}: what a campaign will see of a slide before it goes into a pool — the
 * pyramid, the calibration, how much of it the paper's tissue rule keeps, a preview with the background dimmed —
 * and a generated H&E-like pyramidal slide to try the whole-slide path with.
 */
public final class SlidesCommand implements Command {

    /** Tissue detection runs at this downsample, as in campaign scoring. */
    static final double TISSUE_DOWNSAMPLE = 32;

    @Override
    public String summary() {
        return "inspect whole slides (TIFF/BigTIFF/Aperio SVS, PNG, JPEG): pyramid, tissue, preview; generate one";
    }

    @Override
    public String usage() {
        return """
                Usage:
                  uga slides info FILE [FILE ...]
                  uga slides preview FILE --out preview.png [--max 1024] [--tissue]
                  uga slides generate --out slide.tif [--width 4096] [--height 3072] [--seed 1] [--local] [--tile 256]

                info     Format, size, pyramid levels (size, tile size, downsample), microns per pixel and
                         magnification when the file says (Aperio descriptions), and the share of the slide the
                         tissue rule keeps at downsample 32 (background and dark tiles are not scored in a campaign).
                preview  The whole slide scaled so its longest side is --max pixels, read from the coarsest pyramid
                         level that is large enough. --tissue dims what the tissue rule calls background.
                generate A procedural H&E-like slide (tissue islands, stroma, nuclei; --local applies the "local"
                         lab's stain shift) as a tiled pyramidal TIFF, streamed band by band, so any size fits in
                         memory; upload it with POST /api/slides?kind=slide to put it into a campaign's pool.""";
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) {
            throw new Args.UsageException("missing subcommand: info, preview or generate");
        }
        return switch (pos.get(0)) {
            case "info" -> info(args, pos.subList(1, pos.size()), System.out);
            case "preview" -> preview(args, pos.subList(1, pos.size()));
            case "generate" -> generate(args);
            default -> throw new Args.UsageException("unknown subcommand '" + pos.get(0) + "': info, preview or generate");
        };
    }

    static int info(Args args, List<String> files, PrintStream out) throws IOException {
        args.rejectUnknown();
        if (files.isEmpty()) {
            throw new Args.UsageException("uga slides info needs at least one FILE");
        }
        for (String f : files) {
            try (ImageIoSlideReader slide = open(f)) {
                SlideInfo info = slide.info();
                out.printf(Locale.ROOT, "%s: %s, %d x %d px, %d level%s%s%n", f, info.format(), info.width(),
                        info.height(), info.levelCount(), info.levelCount() == 1 ? "" : "s", calibration(info));
                for (SlideLevel l : info.levels()) {
                    out.printf(Locale.ROOT, "  level %d: %d x %d, %s, downsample %.2f%n", l.index(), l.width(), l.height(),
                            l.tiled() ? "tiles " + l.tileWidth() + " x " + l.tileHeight() : "one tile/strip", l.downsample());
                }
                TissueMask tissue = TissueDetector.defaults().detect(slide, TISSUE_DOWNSAMPLE);
                out.printf(Locale.ROOT, "  tissue: %.1f %% of the slide (downsample %.0f)%n",
                        100 * tissue.tissueFraction(), tissue.downsample());
            }
        }
        return 0;
    }

    static int preview(Args args, List<String> files) throws IOException {
        Path outFile = args.path("out", null);
        int max = args.getInt("max", 1024);
        boolean showTissue = args.flag("tissue");
        args.rejectUnknown();
        if (files.size() != 1 || outFile == null) {
            throw new Args.UsageException("uga slides preview needs one FILE and --out preview.png");
        }
        if (max < 16) {
            throw new Args.UsageException("--max must be at least 16 pixels, got " + max);
        }
        try (ImageIoSlideReader slide = open(files.get(0))) {
            BufferedImage preview = SlidePreview.render(slide, max);
            if (showTissue) {
                dimBackground(preview, TissueDetector.defaults().detect(slide, TISSUE_DOWNSAMPLE), slide.info());
            }
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(preview, "png", outFile.toFile())) {
                throw new IOException("no PNG writer available");
            }
            System.out.printf(Locale.ROOT, "%s: %d x %d preview of %s%n", outFile, preview.getWidth(), preview.getHeight(),
                    files.get(0));
        }
        return 0;
    }

    static int generate(Args args) throws IOException {
        Path outFile = args.path("out", null);
        int width = args.getInt("width", 4096);
        int height = args.getInt("height", 3072);
        long seed = args.getLong("seed", 1);
        int tile = args.getInt("tile", 256);
        boolean local = args.flag("local");
        args.rejectUnknown();
        if (outFile == null) {
            throw new Args.UsageException("uga slides generate needs --out slide.tif");
        }
        if (width < 1 || height < 1 || tile < 16 || tile % 16 != 0) {
            throw new Args.UsageException("need --width/--height >= 1 and --tile a multiple of 16, got " + width + "x"
                    + height + ", tile " + tile);
        }
        Path parent = outFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        long t0 = System.nanoTime();
        new SlideGenerator(width, height, seed, local ? StainShift.LOCAL_DEFAULT : StainShift.NONE)
                .writeTiff(outFile, tile, TiledTiffWriter.Compression.DEFLATE);
        System.out.printf(Locale.ROOT, "%s: %d x %d %s slide, %.1f MB, %.1f s%n", outFile, width, height,
                local ? "local-stain" : "central-stain", Files.size(outFile) / 1e6, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Blends background pixels (by the tissue mask, mapped through level-0 coordinates) halfway to gray. */
    static void dimBackground(BufferedImage preview, TissueMask tissue, SlideInfo info) {
        double sx = info.width() / (double) preview.getWidth();
        double sy = info.height() / (double) preview.getHeight();
        for (int y = 0; y < preview.getHeight(); y++) {
            int ty = Math.min(tissue.height() - 1, (int) ((y + 0.5) * sy / tissue.downsample()));
            for (int x = 0; x < preview.getWidth(); x++) {
                int tx = Math.min(tissue.width() - 1, (int) ((x + 0.5) * sx / tissue.downsample()));
                if (tissue.mask()[ty * tissue.width() + tx] == 0) {
                    int rgb = preview.getRGB(x, y);
                    int r = (((rgb >> 16) & 0xff) + 128) / 2;
                    int g = (((rgb >> 8) & 0xff) + 128) / 2;
                    int b = ((rgb & 0xff) + 128) / 2;
                    preview.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
        }
    }

    private static ImageIoSlideReader open(String file) throws IOException {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new Args.UsageException("no such file: " + file);
        }
        return ImageIoSlideReader.open(p);
    }

    private static String calibration(SlideInfo info) {
        StringBuilder s = new StringBuilder();
        if (info.micronsPerPixel() != null) {
            s.append(String.format(Locale.ROOT, ", %.4f µm/px", info.micronsPerPixel()));
        }
        if (info.magnification() != null) {
            s.append(String.format(Locale.ROOT, ", %.0fx", info.magnification()));
        }
        return s.toString();
    }
}
