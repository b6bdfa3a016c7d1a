package org.uga.imaging;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.util.Iterator;
import javax.imageio.ImageReader;
import org.uga.ml.data.Tile;

/** Conversions between AWT images, interleaved RGB bytes and the science core's planar {@link Tile}. */
public final class Images {

    private Images() {
    }

    /** Interleaved 8-bit RGB ({@code width * height * 3}), whatever the image's own layout. */
    public static byte[] toInterleavedRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        boolean plainRgb = image.getColorModel() instanceof ComponentColorModel
                && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_RGB
                && raster.getTransferType() == DataBuffer.TYPE_BYTE && raster.getNumBands() >= 3;
        if (plainRgb) {
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    out[(y * w + x) * 3] = (byte) row[x * bands];
                    out[(y * w + x) * 3 + 1] = (byte) row[x * bands + 1];
                    out[(y * w + x) * 3 + 2] = (byte) row[x * bands + 2];
                }
            }
            return out;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                out[(y * w + x) * 3] = (byte) (p >> 16);
                out[(y * w + x) * 3 + 1] = (byte) (p >> 8);
                out[(y * w + x) * 3 + 2] = (byte) p;
            }
        }
        return out;
    }

    /** A planar-float tile (values in [0,1]) from any RGB-ish image. */
    public static Tile toTile(String id, String domain, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = toInterleavedRgb(image);
        float[] planar = new float[3 * w * h];
        int n = w * h;
        for (int i = 0; i < n; i++) {
            planar[i] = (rgb[i * 3] & 0xff) / 255f;
            planar[n + i] = (rgb[i * 3 + 1] & 0xff) / 255f;
            planar[2 * n + i] = (rgb[i * 3 + 2] & 0xff) / 255f;
        }
        return new Tile(id, domain, w, h, planar, null);
    }

    /** An RGB image from interleaved bytes. */
    public static BufferedImage fromInterleavedRgb(byte[] rgb, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        // Data elements of a pixel-interleaved raster are in band order (R, G, B), whatever the memory order.
        img.getRaster().setDataElements(0, 0, width, height, rgb);
        return img;
    }

    /** A binary mask image (0 / 255 gray) from 0/non-zero bytes. */
    public static BufferedImage maskImage(byte[] mask, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            px[i] = mask[i] != 0 ? (byte) 255 : 0;
        }
        img.getRaster().setDataElements(0, 0, width, height, px);
        return img;
    }

    /** 1 where a gray/RGB mask image is non-zero (any band), else 0. */
    public static byte[] maskFromImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h];
        Raster r = image.getRaster();
        int bands = Math.min(r.getNumBands(), 3);
        int[] row = new int[w * r.getNumBands()];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                boolean on = false;
                for (int b = 0; b < bands; b++) {
                    on |= row[x * r.getNumBands() + b] != 0;
                }
                out[y * w + x] = (byte) (on ? 1 : 0);
            }
        }
        return out;
    }

    /** Draws {@code src} into an RGB image of the given size filled with {@code background} first. */
    static BufferedImage padded(BufferedImage src, int dx, int dy, int width, int height, int backgroundRgb) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new java.awt.Color(backgroundRgb));
            g.fillRect(0, 0, width, height);
            if (src != null) {
                g.drawImage(src, dx, dy, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The first of {@code readers} whose class name starts with {@code preferredPrefix}, else the first one; every
     * other reader is disposed. Null when there is none.
     */
    static ImageReader preferredReader(Iterator<ImageReader> readers, String preferredPrefix) {
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            boolean better = chosen == null || r.getClass().getName().startsWith(preferredPrefix)
                    && !chosen.getClass().getName().startsWith(preferredPrefix);
            if (better) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = r;
            } else {
                r.dispose();
            }
        }
        return chosen;
    }
}
