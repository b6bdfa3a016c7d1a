package org.uga.imaging.annotations;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Entry point for annotation files: read any supported format (detected from the content) and write any.
 * Reading is all-or-nothing: a malformed file throws {@link AnnotationFormatException} and yields nothing.
 */
public final class AnnotationFiles {

    /** Larger uploads are refused rather than parsed (a whole-slide GeoJSON of cells is tens of MB). */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private AnnotationFiles() {
    }

    public static AnnotationDocument read(byte[] content) throws AnnotationFormatException, IOException {
        AnnotationFormat format = AnnotationFormat.detect(content);
        return read(content, format);
    }

    public static AnnotationDocument read(byte[] content, AnnotationFormat format) throws AnnotationFormatException, IOException {
        try (ByteArrayInputStream in = new ByteArrayInputStream(content)) {
            return switch (format) {
                case GEOJSON -> GeoJsonAnnotations.read(in);
                case ASAP -> AsapXmlAnnotations.read(in);
                case IMAGESCOPE -> ImageScopeXmlAnnotations.read(in);
            };
        }
    }

    public static AnnotationDocument read(Path file) throws AnnotationFormatException, IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(file + " is " + size + " bytes; annotation files above " + MAX_BYTES + " bytes are refused");
        }
        return read(Files.readAllBytes(file));
    }

    public static void write(AnnotationFormat format, List<Annotation> annotations, OutputStream out) throws IOException {
        switch (format) {
            case GEOJSON -> GeoJsonAnnotations.write(annotations, out);
            case ASAP -> AsapXmlAnnotations.write(annotations, out);
            case IMAGESCOPE -> ImageScopeXmlAnnotations.write(annotations, out);
        }
        out.flush();
    }

    /** Writes to a temporary sibling and moves it into place, so a failed export leaves no partial file. */
    public static void write(AnnotationFormat format, List<Annotation> annotations, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(format, annotations, out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
