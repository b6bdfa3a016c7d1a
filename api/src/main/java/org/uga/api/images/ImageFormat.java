package org.uga.api.images;

import java.util.Arrays;
import java.util.Optional;

/** The image formats the platform accepts, recognised by their leading magic bytes (never by file name). */
public enum ImageFormat {
    PNG("png", "image/png"),
    TIFF("tiff", "image/tiff"),
    JPEG("jpeg", "image/jpeg");

    /** Bytes needed to recognise every format. */
    public static final int MAGIC_LENGTH = 8;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String extension;
    private final String mediaType;

    ImageFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format the first bytes announce, or empty when they match none of PNG, TIFF (incl. BigTIFF), JPEG. */
    public static Optional<ImageFormat> sniff(byte[] head) {
        if (head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (head.length >= 4) {
            boolean little = head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0;
            boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
            if (little || big) {
                return Optional.of(TIFF);
            }
        }
        return Optional.empty();
    }
}
