package org.uga.imaging.annotations;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * QuPath-style GeoJSON (RFC 7946 geometry, QuPath properties): a FeatureCollection, a single Feature, or a
 * bare array of Features (older QuPath exports). Polygon and MultiPolygon geometries become annotations;
 * {@code properties.classification.name} is the class ({@code color} [r,g,b] or {@code colorRGB} packed int),
 * {@code properties.name} the name. Point and line geometries are skipped with a warning.
 *
 * <p>Parsed with Jackson's streaming parser into a small tree that remembers where each value started, so
 * errors name the line, column and member path.
 */
public final class GeoJsonAnnotations {

    private static final String FORMAT = "GeoJSON";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private GeoJsonAnnotations() {
    }

    /** A JSON value and where it started. */
    private record Node(Object value, int line, int column, String path) {

        @SuppressWarnings("unchecked")
        Map<String, Node> object() {
            return value instanceof Map ? (Map<String, Node>) value : null;
        }

        @SuppressWarnings("unchecked")
        List<Node> array() {
            return value instanceof List ? (List<Node>) value : null;
        }
    }

    public static AnnotationDocument read(InputStream in) throws AnnotationFormatException, IOException {
        Node root;
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new AnnotationFormatException(FORMAT, "file is empty", 1, 1, null);
            }
            root = parseValue(p, "$");
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new AnnotationFormatException(FORMAT, "unexpected content after the top-level value",
                        l.getLineNr(), l.getColumnNr(), null);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new AnnotationFormatException(FORMAT, "invalid JSON: " + e.getOriginalMessage(),
                    l == null ? -1 : l.getLineNr(), l == null ? -1 : l.getColumnNr(), null, e);
        }
        List<Annotation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Node> features;
        if (root.array() != null) {
            features = root.array();
        } else if (root.object() != null) {
            String type = string(root, "type", true);
            switch (type) {
                case "FeatureCollection" -> features = require(root, "features").array();
                case "Feature" -> features = List.of(root);
                case "Polygon", "MultiPolygon" -> {
                    features = List.of();
                    out.add(new Annotation("", "", polygons(root, warnings), null));
                }
                default -> throw error(root, "top-level type must be FeatureCollection or Feature, got '" + type + "'");
            }
            if (features == null) {
                throw error(require(root, "features"), "'features' must be an array");
            }
        } else {
            throw error(root, "top level must be an object or an array of features");
        }
        for (Node f : features) {
            Annotation a = feature(f, warnings);
            if (a != null) {
                out.add(a);
            }
        }
        return new AnnotationDocument(AnnotationFormat.GEOJSON, out, warnings);
    }

    private static Annotation feature(Node f, List<String> warnings) throws AnnotationFormatException {
        if (f.object() == null) {
            throw error(f, "feature must be an object");
        }
        String type = string(f, "type", true);
        if (!type.equals("Feature")) {
            throw error(f, "expected a Feature, got type '" + type + "'");
        }
        Node geometry = f.object().get("geometry");
        if (geometry == null || geometry.value() == null) {
            warnings.add("line " + f.line() + ": feature without geometry skipped");
            return null;
        }
        List<Polygon> polygons = polygons(geometry, warnings);
        if (polygons.isEmpty()) {
            return null;
        }
        String name = "";
        String classification = "";
        Integer color = null;
        Node props = f.object().get("properties");
        if (props != null && props.value() != null) {
            if (props.object() == null) {
                throw error(props, "'properties' must be an object");
            }
            name = optionalString(props, "name");
            Node cls = props.object().get("classification");
            if (cls != null && cls.value() != null) {
                if (cls.value() instanceof String s) {
                    classification = s; // some tools write the class name directly
                } else if (cls.object() != null) {
                    classification = optionalString(cls, "name");
                    color = color(cls);
                } else {
                    throw error(cls, "'classification' must be an object with a 'name'");
                }
            }
        }
        return new Annotation(name, classification, polygons, color);
    }

    private static Integer color(Node cls) throws AnnotationFormatException {
        Node c = cls.object().get("color");
        if (c != null && c.array() != null) {
            List<Node> rgb = c.array();
            if (rgb.size() < 3) {
                throw error(c, "'color' must be [r, g, b]");
            }
            int v = 0;
            for (int i = 0; i < 3; i++) {
                v = (v << 8) | ((int) number(rgb.get(i)) & 0xff);
            }
            return v;
        }
        Node packed = cls.object().get("colorRGB");
        if (packed != null && packed.value() instanceof Number n) {
            return n.intValue() & 0xFFFFFF;
        }
        return null;
    }

    private static List<Polygon> polygons(Node geometry, List<String> warnings) throws AnnotationFormatException {
        if (geometry.object() == null) {
            throw error(geometry, "'geometry' must be an object");
        }
        String type = string(geometry, "type", true);
        List<Polygon> out = new ArrayList<>();
        switch (type) {
            case "Polygon" -> out.add(polygon(require(geometry, "coordinates")));
            case "MultiPolygon" -> {
                Node coords = require(geometry, "coordinates");
                if (coords.array() == null) {
                    throw error(coords, "MultiPolygon coordinates must be an array of polygons");
                }
                for (Node p : coords.array()) {
                    out.add(polygon(p));
                }
            }
            case "GeometryCollection" -> {
                Node geoms = require(geometry, "geometries");
                if (geoms.array() == null) {
                    throw error(geoms, "'geometries' must be an array");
                }
                for (Node g : geoms.array()) {
                    out.addAll(polygons(g, warnings));
                }
            }
            case "Point", "MultiPoint", "LineString", "MultiLineString" ->
                    warnings.add("line " + geometry.line() + ": " + type + " geometry has no area, skipped");
            default -> throw error(geometry, "unknown geometry type '" + type + "'");
        }
        return out;
    }

    private static Polygon polygon(Node coords) throws AnnotationFormatException {
        if (coords.array() == null || coords.array().isEmpty()) {
            throw error(coords, "polygon coordinates must be a non-empty array of rings");
        }
        List<List<Point>> rings = new ArrayList<>();
        for (Node ring : coords.array()) {
            if (ring.array() == null) {
                throw error(ring, "a ring must be an array of [x, y] positions");
            }
            List<Point> pts = new ArrayList<>();
            for (Node pos : ring.array()) {
                if (pos.array() == null || pos.array().size() < 2) {
                    throw error(pos, "a position must be [x, y]");
                }
                pts.add(new Point(number(pos.array().get(0)), number(pos.array().get(1))));
            }
            if (pts.size() < 4 || !pts.get(0).equals(pts.get(pts.size() - 1))) {
                // RFC 7946: a linear ring has >= 4 positions and is closed; accept unclosed ones leniently.
                if (pts.size() < 3) {
                    throw error(ring, "a ring needs at least 3 distinct positions, got " + pts.size());
                }
            }
            try {
                rings.add(new Polygon(pts).exterior());
            } catch (IllegalArgumentException e) {
                throw error(ring, e.getMessage());
            }
        }
        return new Polygon(rings.get(0), rings.subList(1, rings.size()));
    }

    // --- tree helpers -----------------------------------------------------------------------------------------

    private static Node parseValue(JsonParser p, String path) throws IOException, AnnotationFormatException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, parseValue(p, path + "." + name));
                }
                return new Node(m, line, col, path);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(parseValue(p, path + "[" + i++ + "]"));
                }
                return new Node(list, line, col, path);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line, col, path);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(p.getDoubleValue(), line, col, path);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(p.getBooleanValue(), line, col, path);
            }
            case VALUE_NULL -> {
                return new Node(null, line, col, path);
            }
            default -> throw new AnnotationFormatException(FORMAT, "unexpected token " + t, line, col, path);
        }
    }

    private static AnnotationFormatException error(Node n, String message) {
        return new AnnotationFormatException(FORMAT, message, n.line(), n.column(), n.path());
    }

    private static Node require(Node obj, String field) throws AnnotationFormatException {
        Node n = obj.object().get(field);
        if (n == null) {
            throw error(obj, "missing '" + field + "'");
        }
        return n;
    }

    private static String string(Node obj, String field, boolean required) throws AnnotationFormatException {
        Node n = obj.object().get(field);
        if (n == null || n.value() == null) {
            if (required) {
                throw error(obj, "missing '" + field + "'");
            }
            return "";
        }
        if (!(n.value() instanceof String s)) {
            throw error(n, "'" + field + "' must be a string");
        }
        return s;
    }

    private static String optionalString(Node obj, String field) throws AnnotationFormatException {
        return string(obj, field, false);
    }

    private static double number(Node n) throws AnnotationFormatException {
        if (!(n.value() instanceof Double d)) {
            throw error(n, "expected a number");
        }
        if (!Double.isFinite(d)) {
            throw error(n, "coordinate must be finite");
        }
        return d;
    }

    // --- writing ----------------------------------------------------------------------------------------------

    /** A QuPath-compatible FeatureCollection: one Feature per annotation (Polygon, or MultiPolygon for several). */
    public static void write(List<Annotation> annotations, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the caller owns the stream
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeArrayFieldStart("features");
            for (Annotation a : annotations) {
                g.writeStartObject();
                g.writeStringField("type", "Feature");
                g.writeStringField("id", UUID.nameUUIDFromBytes((a.name() + "|" + a.classification() + "|"
                        + a.polygons().hashCode()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
                g.writeObjectFieldStart("geometry");
                boolean multi = a.polygons().size() > 1;
                g.writeStringField("type", multi ? "MultiPolygon" : "Polygon");
                g.writeArrayFieldStart("coordinates");
                for (Polygon p : a.polygons()) {
                    if (multi) {
                        g.writeStartArray();
                    }
                    for (List<Point> ring : p.rings()) {
                        g.writeStartArray();
                        for (int i = 0; i <= ring.size(); i++) {
                            Point pt = ring.get(i % ring.size()); // GeoJSON rings are closed
                            g.writeStartArray();
                            g.writeNumber(pt.x());
                            g.writeNumber(pt.y());
                            g.writeEndArray();
                        }
                        g.writeEndArray();
                    }
                    if (multi) {
                        g.writeEndArray();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeObjectFieldStart("properties");
                g.writeStringField("objectType", "annotation");
                if (!a.name().isEmpty()) {
                    g.writeStringField("name", a.name());
                }
                if (!a.classification().isEmpty()) {
                    g.writeObjectFieldStart("classification");
                    g.writeStringField("name", a.classification());
                    if (a.colorRgb() != null) {
                        int c = a.colorRgb();
                        g.writeArrayFieldStart("color");
                        g.writeNumber((c >> 16) & 0xff);
                        g.writeNumber((c >> 8) & 0xff);
                        g.writeNumber(c & 0xff);
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
