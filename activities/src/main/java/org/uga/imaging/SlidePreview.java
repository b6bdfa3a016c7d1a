package org.uga.imaging;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * A small picture of a whole slide: read from the coarsest pyramid level that still has the wanted size (a few tiles,
 * never the whole file), then downscaled. Used by the API's slide previews and {@code uga slides preview}.
 */
public final class SlidePreview {

    /** Levels up to this side are read whole; bigger ones (no small pyramid level) are read strip-wise, subsampled. */
    static final int DIRECT_READ_MAX = 2048;

    /** The whole slide with its longest side at most {@code maxSide} pixels (never upscaled). */
    public static BufferedImage render(ImageIoSlideReader slide, int maxSide) throws IOException {
        if (maxSide < 1) {
            throw new IllegalArgumentException("preview size must be at least 1 pixel, got " + maxSide);
        }
        SlideLevel l = previewLevel(slide.info(), maxSide);
        int longest = Math.max(l.width(), l.height());
        BufferedImage level = longest <= Math.max(DIRECT_READ_MAX, 2 * maxSide)
                ? slide.readRegion(l.index(), 0, 0, l.width(), l.height())
                // No small pyramid level: strips of the level, every n-th pixel kept (memory: the result plus a strip).
                : slide.readSubsampled(l.index(), (int) Math.ceil(longest / (double) (2 * maxSide)));
        return scaleToFit(level, maxSide);
    }

    /** The coarsest level with a side of at least {@code target} px (level 0 when the slide is smaller). */
    public static SlideLevel previewLevel(SlideInfo info, int target) {
        SlideLevel chosen = info.level(0);
        for (SlideLevel l : info.levels()) {
            int side = Math.max(l.width(), l.height());
            if (side >= target && side < Math.max(chosen.width(), chosen.height())) {
                chosen = l;
            }
        }
        return chosen;
    }

    /** Downscales (never up) so the longest side is at most {@code max}: halving steps, then one bilinear step. */
    public static BufferedImage scaleToFit(BufferedImage img, int max) {
        int w = img.getWidth();
        int h = img.getHeight();
        double scale = Math.min(1.0, max / (double) Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        BufferedImage cur = img;
        while (cur.getWidth() / 2 >= tw && cur.getHeight() / 2 >= th) {
            cur = resize(cur, cur.getWidth() / 2, cur.getHeight() / 2);
        }
        if (cur.getWidth() != tw || cur.getHeight() != th || cur.getType() != BufferedImage.TYPE_INT_RGB) {
            cur = resize(cur, tw, th);
        }
        return cur;
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private SlidePreview() {
    }
}
