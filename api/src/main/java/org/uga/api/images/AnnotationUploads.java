package org.uga.api.images;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.uga.api.error.ApiProblem;
import org.uga.imaging.annotations.Annotation;
import org.uga.imaging.annotations.AnnotationDocument;
import org.uga.imaging.annotations.AnnotationFiles;
import org.uga.imaging.annotations.AnnotationFormat;
import org.uga.imaging.annotations.AnnotationFormatException;
import org.uga.imaging.annotations.Polygon;
import org.uga.imaging.annotations.PolygonRasterizer;
import org.uga.workflows.model.PatchStatus;

/** Annotation files (QuPath GeoJSON, ASAP XML, ImageScope XML) uploaded for a patch: parse, then rasterise to its mask. */
public final class AnnotationUploads {

    private AnnotationUploads() {
    }

    /** The whole file or a 400 problem naming the line/element at fault (with {@code line}, {@code column}, {@code element}). */
    public static AnnotationDocument parse(byte[] data, AnnotationFormat format) {
        try {
            return format == null ? AnnotationFiles.read(data) : AnnotationFiles.read(data, format);
        } catch (AnnotationFormatException e) {
            Map<String, Object> where = new LinkedHashMap<>();
            if (e.line() > 0) {
                where.put("line", e.line());
            }
            if (e.column() > 0) {
                where.put("column", e.column());
            }
            if (e.element() != null) {
                where.put("element", e.element());
            }
            throw new ApiProblem(400, "malformed-annotation-file", "Bad request",
                    "the annotation file is malformed: " + e.getMessage(), where.isEmpty() ? null : where);
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed-annotation-file", "the annotation file cannot be read: " + e.getMessage());
        }
    }

    /**
     * The patch's mask: every polygon filled (even-odd over exterior and holes, pixel centres), annotations of an
     * exclusion class ({@link PolygonRasterizer#EXCLUSION_CLASSES}, e.g. ASAP group {@code _2}) cut out. A file with
     * annotations of which none reaches the patch is a 422 (almost certainly the wrong coordinate system); a file with
     * no annotations at all is an empty mask ("nothing to segment here").
     */
    public static ImageChecks.BinaryMask rasterize(AnnotationDocument doc, PatchStatus p, double offsetX, double offsetY,
                                                   boolean imageCoordinates) {
        int w = p.w();
        int h = p.h();
        byte[] mask = PolygonRasterizer.rasterizeAnnotations(doc.annotations(), Set.of(), PolygonRasterizer.EXCLUSION_CLASSES,
                w, h, offsetX, offsetY, 1);
        if (!doc.annotations().isEmpty() && !overlaps(doc, offsetX, offsetY, w, h)) {
            throw ApiProblem.unprocessable("annotations-outside-patch", "none of the " + doc.annotations().size()
                    + " annotations in the " + doc.format() + " file overlaps patch " + p.patchId() + " ("
                    + (imageCoordinates ? "x " + p.x() + ".." + (p.x() + w) + ", y " + p.y() + ".." + (p.y() + h)
                    + " of image " + p.imageId() + "; coordinates=image" : "0.." + w + " x 0.." + h + "; coordinates=patch"
                    + " — use coordinates=image if the file is in the coordinates of image " + p.imageId()) + ")");
        }
        return new ImageChecks.BinaryMask(w, h, mask);
    }

    private static boolean overlaps(AnnotationDocument doc, double offsetX, double offsetY, int w, int h) {
        for (Annotation a : doc.annotations()) {
            for (Polygon poly : a.polygons()) {
                double[] b = poly.bounds(); // minX, minY, maxX, maxY
                if (b[2] > offsetX && b[0] < offsetX + w && b[3] > offsetY && b[1] < offsetY + h) {
                    return true;
                }
            }
        }
        return false;
    }
}
