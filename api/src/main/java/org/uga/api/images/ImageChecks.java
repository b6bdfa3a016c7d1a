package org.uga.api.images;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.uga.api.error.ApiProblem;

/** Verifies uploaded images: magic bytes, a full decode, and for masks size and binariness. */
public final class ImageChecks {

    private ImageChecks() {
    }

    /** What a successfully decoded image is. */
    public record DecodedInfo(ImageFormat format, int width, int height) {
    }

    /** A binary mask, row-major, one byte per pixel holding 0 or 1. */
    public record BinaryMask(int width, int height, byte[] pixels) {

        public long foregroundPixels() {
            long n = 0;
            for (byte b : pixels) {
                n += b;
            }
            return n;
        }

        /** As an 8-bit grayscale PNG with 0 = background and 255 = foreground. */
        public byte[] toPng() {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i++) {
                data[i] = pixels[i] != 0 ? (byte) 0xFF : 0;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "png", out);
            } catch (IOException e) {
                throw new IllegalStateException("PNG encoding failed", e);
            }
            return out.toByteArray();
        }
    }

    /** Reads the format from the magic bytes and decodes the whole image; a 415/422 problem otherwise. */
    public static DecodedInfo verifyImageFile(Path file, String what) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ImageFormat.MAGIC_LENGTH);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read upload buffer " + file, e);
        }
        ImageFormat format = ImageFormat.sniff(head).orElseThrow(() -> ApiProblem.unsupportedMedia(
                what + " is not a PNG, TIFF or JPEG image (its first bytes are " + hex(head) + ")"));
        try (ImageInputStream iis = ImageIO.createImageInputStream(file.toFile())) {
            return decode(iis, format, what);
        } catch (IOException e) {
            throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format + " but cannot be read: " + e.getMessage());
        }
    }

    /**
     * For whole-slide images, which may be gigapixel pyramids: magic bytes, the header of the first image and a
     * decode of its top-left region (at most 256x256), instead of decoding everything.
     */
    public static DecodedInfo verifySlideFile(Path file, String what) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ImageFormat.MAGIC_LENGTH);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read upload buffer " + file, e);
        }
        ImageFormat format = sniffOrReject(head, what);
        try (ImageInputStream iis = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format + " but no reader accepts it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, false, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(new java.awt.Rectangle(0, 0, Math.min(w, 256), Math.min(h, 256)));
                reader.read(0, param);
                return new DecodedInfo(format, w, h);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiProblem p) {
                throw p;
            }
            throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format + " but cannot be read: " + e.getMessage());
        }
    }

    /** Checks the head of an existing object: it must start like a PNG, TIFF or JPEG. */
    public static ImageFormat sniffOrReject(byte[] head, String what) {
        return ImageFormat.sniff(head).orElseThrow(() -> ApiProblem.unsupportedMedia(
                what + " is not a PNG, TIFF or JPEG image (its first bytes are " + hex(head) + ")"));
    }

    /**
     * Decodes an uploaded mask and checks it: PNG, exactly {@code width x height}, binary (every pixel black or
     * white / 0 or 1, gray or equal RGB channels, opaque).
     */
    public static BinaryMask verifyMaskPng(byte[] png, int width, int height) {
        if (png.length == 0) {
            throw ApiProblem.badRequest("empty-mask", "the mask upload is empty; send the corrected mask as a PNG body");
        }
        byte[] head = java.util.Arrays.copyOf(png, Math.min(png.length, ImageFormat.MAGIC_LENGTH));
        ImageFormat format = ImageFormat.sniff(head).orElse(null);
        if (format != ImageFormat.PNG) {
            throw ApiProblem.unsupportedMedia("a mask must be a PNG image; the upload "
                    + (format == null ? "is not an image (first bytes " + hex(head) + ")" : "is " + format));
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw ApiProblem.unprocessable("undecodable-image", "the mask PNG cannot be decoded: " + e.getMessage());
        }
        if (img == null) {
            throw ApiProblem.unprocessable("undecodable-image", "the mask PNG cannot be decoded");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw ApiProblem.unprocessable("wrong-mask-size", "the mask is " + img.getWidth() + "x" + img.getHeight()
                    + " but the patch is " + width + "x" + height);
        }
        return binarize(img);
    }

    private static BinaryMask binarize(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (bands == 1 && !indexed) {
            // Gray: accept {0, 1} or {0, max} (max = 255 for 8-bit, 65535 for 16-bit), never a mix.
            int max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            int fg = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = raster.getSample(x, y, 0);
                    if (v == 0) {
                        continue;
                    }
                    if ((v != 1 && v != max) || (fg != -1 && v != fg)) {
                        throw notBinary(x, y, "gray value " + v);
                    }
                    fg = v;
                    out[y * w + x] = 1;
                }
            }
            return new BinaryMask(w, h, out);
        }
        boolean alpha = img.getColorModel().hasAlpha();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int a = argb >>> 24;
                int r = (argb >> 16) & 0xFF;
                int g = (argb >> 8) & 0xFF;
                int b = argb & 0xFF;
                if (alpha && a != 0xFF) {
                    throw notBinary(x, y, "alpha " + a + " (masks must be opaque)");
                }
                if (r != g || g != b || (r != 0 && r != 0xFF)) {
                    throw notBinary(x, y, "colour rgb(" + r + "," + g + "," + b + ")");
                }
                out[y * w + x] = (byte) (r == 0 ? 0 : 1);
            }
        }
        return new BinaryMask(w, h, out);
    }

    private static ApiProblem notBinary(int x, int y, String found) {
        return ApiProblem.unprocessable("mask-not-binary", "the mask is not binary: pixel (" + x + "," + y + ") has "
                + found + "; every pixel must be black (background) or white (foreground)");
    }

    private static DecodedInfo decode(ImageInputStream iis, ImageFormat format, String what) throws IOException {
        if (iis == null) {
            throw ApiProblem.unprocessable("undecodable-image", what + ": no image reader available");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        if (!readers.hasNext()) {
            throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format + " but no reader accepts it");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(iis, true, true);
            BufferedImage img = reader.read(0);
            if (img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw ApiProblem.unprocessable("undecodable-image", what + " has no pixels");
            }
            return new DecodedInfo(format, img.getWidth(), img.getHeight());
        } catch (RuntimeException e) {
            if (e instanceof ApiProblem p) {
                throw p;
            }
            throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format + " but is corrupt: " + e);
        } finally {
            reader.dispose();
        }
    }

    static String hex(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (byte b : head) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.length() == 0 ? "(none)" : sb.toString();
    }
}
