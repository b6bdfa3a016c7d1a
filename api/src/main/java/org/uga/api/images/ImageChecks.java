package org.uga.api.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.uga.activities.AnnotationActivitiesImpl;
import org.uga.api.error.ApiProblem;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideInfo;
import org.uga.ml.data.Images;
import org.uga.workflows.activities.MaskCheck;

/** Verifies uploaded images: magic bytes and a full decode; masks go through the workers' mask check. */
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

    /** A whole-slide image as the workers' slide reader sees it. */
    public record SlideCheck(ImageFormat format, SlideInfo info) {
    }

    /**
     * For whole-slide images, which may be gigapixel pyramids: magic bytes, then the reader the scoring activity
     * uses ({@link ImageIoSlideReader}: TIFF directories, levels) and a decode of the top-left region of level 0
     * (at most 256x256), instead of decoding everything. A file this accepts is one the workers can score.
     */
    public static SlideCheck verifySlideFile(Path file, String what) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(ImageFormat.MAGIC_LENGTH);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read upload buffer " + file, e);
        }
        ImageFormat format = sniffOrReject(head, what);
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
            SlideInfo info = slide.info();
            slide.readRegion(0, 0, 0, Math.min(info.width(), 256), Math.min(info.height(), 256));
            return new SlideCheck(format, info);
        } catch (IOException | RuntimeException e) {
            throw ApiProblem.unprocessable("undecodable-image", what + " looks like " + format
                    + " but cannot be read as a slide: " + e.getMessage());
        }
    }

    /** Checks the head of an existing object: it must start like a PNG, TIFF or JPEG. */
    public static ImageFormat sniffOrReject(byte[] head, String what) {
        return ImageFormat.sniff(head).orElseThrow(() -> ApiProblem.unsupportedMedia(
                what + " is not a PNG, TIFF or JPEG image (its first bytes are " + hex(head) + ")"));
    }

    /**
     * Checks an uploaded mask with the workers' own content check ({@link AnnotationActivitiesImpl#checkBytes}: a PNG
     * that decodes, exactly {@code width x height}, binary 0/1 or 0/max, gray or equal RGB channels) and returns it
     * as a 0/1 mask. Only what that check cannot tell apart is done here first, so each failure keeps its own problem
     * code: an empty body (400 {@code empty-mask}) and a body that is not a PNG (415, naming the format it is).
     * Its problems map to 422 {@code undecodable-image}, {@code wrong-mask-size} and {@code mask-not-binary}.
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
        MaskCheck check = AnnotationActivitiesImpl.checkBytes("upload", png, width, height);
        if (!check.ok()) {
            throw maskProblem(check, width, height);
        }
        try {
            // The check passed, so this decode and binarisation (the check's own) succeed.
            return new BinaryMask(width, height, Images.toMask(Images.read(png, "upload"), "upload"));
        } catch (IOException e) {
            throw new IllegalStateException("mask passed the check but cannot be read again: " + e.getMessage(), e);
        }
    }

    /**
     * The API problem for a failed {@link AnnotationActivitiesImpl#checkBytes}: it reports the decoded size (0x0 when
     * the PNG did not decode), so the kind follows from the size; the detail carries the check's own words.
     */
    static ApiProblem maskProblem(MaskCheck check, int width, int height) {
        String detail = String.join("; ", check.problems());
        if (check.width() == 0 && check.height() == 0) {
            return ApiProblem.unprocessable("undecodable-image", "the mask PNG cannot be decoded: " + detail);
        }
        if (check.width() != width || check.height() != height) {
            return ApiProblem.unprocessable("wrong-mask-size", "the mask is " + check.width() + "x" + check.height()
                    + " but the patch is " + width + "x" + height);
        }
        return ApiProblem.unprocessable("mask-not-binary", detail
                + "; every pixel must be black (background) or white (foreground)");
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
