package org.uga.imaging.annotations;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** The annotation file formats the platform reads and writes. */
public enum AnnotationFormat {
    /** QuPath GeoJSON (FeatureCollection / Feature). */
    GEOJSON("geojson"),
    /** ASAP / Camelyon XML ({@code ASAP_Annotations}). */
    ASAP("xml"),
    /** Aperio ImageScope XML ({@code Annotations/Annotation/Regions}). */
    IMAGESCOPE("xml");

    private final String extension;

    AnnotationFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** {@code geojson | asap | imagescope} (also {@code json}, {@code qupath}, {@code aperio}). */
    public static AnnotationFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "geojson", "json", "qupath" -> GEOJSON;
            case "asap", "camelyon" -> ASAP;
            case "imagescope", "aperio" -> IMAGESCOPE;
            default -> throw new IllegalArgumentException("unknown annotation format '" + name
                    + "'; expected geojson, asap or imagescope");
        };
    }

    /** Detects the format from the content: JSON by its first character, XML by its root element. */
    public static AnnotationFormat detect(byte[] content) throws AnnotationFormatException {
        int i = 0;
        if (content.length >= 3 && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB && (content[2] & 0xff) == 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        if (i == content.length) {
            throw new AnnotationFormatException("annotation file", "is empty", -1, -1, null);
        }
        if (content[i] == '{' || content[i] == '[') {
            return GEOJSON;
        }
        if (content[i] != '<') {
            String head = new String(content, i, Math.min(20, content.length - i), StandardCharsets.UTF_8);
            throw new AnnotationFormatException("annotation file", "is neither JSON nor XML (starts with '" + head
                    + "'); expected QuPath GeoJSON, ASAP XML or ImageScope XML", 1, -1, null);
        }
        try {
            XMLStreamReader r = Xml.reader(new ByteArrayInputStream(content));
            int e = Xml.next(r, "XML");
            if (e != XMLStreamReader.START_ELEMENT) {
                throw Xml.error(r, "XML", "has no root element", null);
            }
            String root = r.getLocalName();
            return switch (root) {
                case "ASAP_Annotations" -> ASAP;
                case "Annotations" -> IMAGESCOPE;
                default -> throw Xml.error(r, "XML", "root element is not ASAP_Annotations (ASAP) or Annotations"
                        + " (ImageScope)", root);
            };
        } catch (XMLStreamException e) {
            throw Xml.error(e, "XML");
        }
    }
}
