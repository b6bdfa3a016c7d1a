package org.uga.imaging.annotations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Aperio ImageScope-style XML ({@code Annotations/Annotation/Regions/Region/Vertices/Vertex[@X,@Y]}), as used by
 * MoNuSeg and many hospital exports. Each {@code Annotation} is a layer whose {@code Name} is the class
 * ({@code LineColor} is a BGR-packed integer); each positive {@code Region} becomes an annotation named by its
 * {@code Text} (or {@code Region <Id>}). Regions with {@code NegativeROA="1"} are holes: attached to the
 * positive region of the same layer that contains them. Region {@code Type}: 0 free-hand, 1 rectangle,
 * 2 ellipse (two corner vertices, approximated by 64 vertices), 3 arrow and 4 ruler (skipped with a warning).
 */
public final class ImageScopeXmlAnnotations {

    private static final String FORMAT = "ImageScope XML";
    private static final int ELLIPSE_VERTICES = 64;

    private ImageScopeXmlAnnotations() {
    }

    private record Region(String name, List<Point> vertices, boolean negative, int line) {
    }

    public static AnnotationDocument read(InputStream in) throws AnnotationFormatException, IOException {
        List<Annotation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            XMLStreamReader r = Xml.reader(in);
            if (Xml.next(r, FORMAT) != XMLStreamReader.START_ELEMENT || !r.getLocalName().equals("Annotations")) {
                throw Xml.error(r, FORMAT, "root element must be Annotations", r.hasName() ? r.getLocalName() : null);
            }
            int depth = 1;
            while (depth > 0) {
                int e = Xml.next(r, FORMAT);
                if (e == XMLStreamReader.END_DOCUMENT) {
                    throw Xml.error(r, FORMAT, "document ends inside Annotations", null);
                }
                if (e == XMLStreamReader.END_ELEMENT) {
                    depth--;
                    continue;
                }
                if (r.getLocalName().equals("Annotation")) {
                    layer(r, out, warnings);
                } else {
                    depth++;
                }
            }
        } catch (XMLStreamException e) {
            throw Xml.error(e, FORMAT);
        }
        return new AnnotationDocument(AnnotationFormat.IMAGESCOPE, out, warnings);
    }

    /** One Annotation layer, from its start tag through its end tag. */
    private static void layer(XMLStreamReader r, List<Annotation> out, List<String> warnings)
            throws XMLStreamException, AnnotationFormatException {
        String layerName = Xml.attr(r, "Name");
        Integer color = bgrToRgb(Xml.attr(r, "LineColor"));
        List<Region> regions = new ArrayList<>();
        int depth = 1;
        while (depth > 0) {
            int e = Xml.next(r, FORMAT);
            if (e == XMLStreamReader.END_DOCUMENT) {
                throw Xml.error(r, FORMAT, "document ends inside an Annotation", "Annotation");
            }
            if (e == XMLStreamReader.END_ELEMENT) {
                depth--;
                continue;
            }
            if (r.getLocalName().equals("Region")) {
                Region reg = region(r, warnings);
                if (reg != null) {
                    regions.add(reg);
                }
            } else {
                depth++;
            }
        }
        List<Region> positives = new ArrayList<>();
        Map<Region, List<List<Point>>> holes = new LinkedHashMap<>();
        for (Region reg : regions) {
            if (!reg.negative()) {
                positives.add(reg);
                holes.put(reg, new ArrayList<>());
            }
        }
        for (Region reg : regions) {
            if (!reg.negative()) {
                continue;
            }
            Region owner = null;
            double ownerArea = Double.MAX_VALUE;
            Point probe = reg.vertices().get(0);
            for (Region pos : positives) {
                Polygon candidate = new Polygon(pos.vertices());
                double area = Math.abs(Polygon.signedArea(pos.vertices()));
                if (candidate.contains(probe.x(), probe.y()) && area < ownerArea) {
                    owner = pos;
                    ownerArea = area;
                }
            }
            if (owner == null) {
                warnings.add("line " + reg.line() + ": negative region '" + reg.name() + "' lies in no positive region, skipped");
            } else {
                holes.get(owner).add(reg.vertices());
            }
        }
        for (Region pos : positives) {
            out.add(new Annotation(pos.name(), layerName, List.of(new Polygon(pos.vertices(), holes.get(pos))), color));
        }
    }

    private static Region region(XMLStreamReader r, List<String> warnings)
            throws XMLStreamException, AnnotationFormatException {
        int line = r.getLocation().getLineNumber();
        String id = Xml.attr(r, "Id");
        String text = Xml.attr(r, "Text");
        String name = text != null && !text.isBlank() ? text : "Region " + (id == null ? "" : id);
        String typeAttr = Xml.attr(r, "Type");
        int type;
        try {
            type = typeAttr == null ? 0 : Integer.parseInt(typeAttr.trim());
        } catch (NumberFormatException e) {
            throw Xml.error(r, FORMAT, "Type=\"" + typeAttr + "\" is not an integer", "Region");
        }
        boolean negative = "1".equals(Xml.attr(r, "NegativeROA"));
        List<Point> vertices = new ArrayList<>();
        int depth = 1;
        while (depth > 0) {
            int e = Xml.next(r, FORMAT);
            if (e == XMLStreamReader.END_DOCUMENT) {
                throw Xml.error(r, FORMAT, "document ends inside a Region", "Region");
            }
            if (e == XMLStreamReader.END_ELEMENT) {
                depth--;
                continue;
            }
            depth++;
            if (r.getLocalName().equals("Vertex")) {
                vertices.add(new Point(Xml.number(r, FORMAT, "X"), Xml.number(r, FORMAT, "Y")));
            }
        }
        switch (type) {
            case 1 -> {
                if (vertices.size() == 2) {
                    Point a = vertices.get(0);
                    Point b = vertices.get(1);
                    vertices = List.of(a, new Point(b.x(), a.y()), b, new Point(a.x(), b.y()));
                }
            }
            case 2 -> {
                if (vertices.size() < 2) {
                    throw new AnnotationFormatException(FORMAT, "ellipse region '" + name + "' needs 2 vertices", line, -1, "Region");
                }
                vertices = ellipse(vertices.get(0), vertices.get(1));
            }
            case 3, 4 -> {
                warnings.add("line " + line + ": " + (type == 3 ? "arrow" : "ruler") + " region '" + name + "' has no area, skipped");
                return null;
            }
            default -> {
            }
        }
        List<Point> distinct = Polygon.distinctRing(vertices);
        if (distinct.size() < 3) {
            throw new AnnotationFormatException(FORMAT, "region '" + name + "' has " + distinct.size()
                    + " distinct vertices, needs at least 3", line, -1, "Region");
        }
        return new Region(name, distinct, negative, line);
    }

    private static List<Point> ellipse(Point a, Point b) {
        double cx = (a.x() + b.x()) / 2;
        double cy = (a.y() + b.y()) / 2;
        double rx = Math.abs(b.x() - a.x()) / 2;
        double ry = Math.abs(b.y() - a.y()) / 2;
        List<Point> pts = new ArrayList<>(ELLIPSE_VERTICES);
        for (int i = 0; i < ELLIPSE_VERTICES; i++) {
            double t = 2 * Math.PI * i / ELLIPSE_VERTICES;
            pts.add(new Point(cx + rx * Math.cos(t), cy + ry * Math.sin(t)));
        }
        return pts;
    }

    /** Aperio stores colours as integers with red in the low byte. */
    private static Integer bgrToRgb(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            int bgr = Integer.parseInt(s.trim());
            return ((bgr & 0xff) << 16) | (bgr & 0xff00) | ((bgr >> 16) & 0xff);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String rgbToBgr(Integer rgb) {
        int c = rgb == null ? 0x00FF00 : rgb;
        return Integer.toString(((c & 0xff) << 16) | (c & 0xff00) | ((c >> 16) & 0xff));
    }

    /** One Annotation layer per class; a Region per polygon exterior and a NegativeROA Region per hole. */
    public static void write(List<Annotation> annotations, OutputStream out) throws IOException {
        Map<String, List<Annotation>> layers = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            layers.computeIfAbsent(a.classification(), k -> new ArrayList<>()).add(a);
        }
        try {
            XMLStreamWriter w = Xml.OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("Annotations");
            int layerId = 1;
            for (Map.Entry<String, List<Annotation>> layer : layers.entrySet()) {
                w.writeCharacters("\n  ");
                w.writeStartElement("Annotation");
                w.writeAttribute("Id", Integer.toString(layerId++));
                w.writeAttribute("Name", layer.getKey());
                w.writeAttribute("Type", "4");
                w.writeAttribute("LineColor", rgbToBgr(layer.getValue().get(0).colorRgb()));
                w.writeAttribute("Visible", "1");
                w.writeCharacters("\n    ");
                w.writeStartElement("Regions");
                int regionId = 1;
                for (Annotation a : layer.getValue()) {
                    for (Polygon p : a.polygons()) {
                        writeRegion(w, regionId++, a.name(), p.exterior(), false);
                        for (List<Point> hole : p.holes()) {
                            writeRegion(w, regionId++, a.name(), hole, true);
                        }
                    }
                }
                w.writeCharacters("\n    ");
                w.writeEndElement();
                w.writeCharacters("\n  ");
                w.writeEndElement();
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write ImageScope XML: " + e.getMessage(), e);
        }
    }

    private static void writeRegion(XMLStreamWriter w, int id, String text, List<Point> ring, boolean negative)
            throws XMLStreamException {
        w.writeCharacters("\n      ");
        w.writeStartElement("Region");
        w.writeAttribute("Id", Integer.toString(id));
        w.writeAttribute("Type", "0");
        w.writeAttribute("Text", text);
        w.writeAttribute("NegativeROA", negative ? "1" : "0");
        w.writeCharacters("\n        ");
        w.writeStartElement("Vertices");
        for (Point p : ring) {
            w.writeCharacters("\n          ");
            w.writeEmptyElement("Vertex");
            w.writeAttribute("X", AsapXmlAnnotations.num(p.x()));
            w.writeAttribute("Y", AsapXmlAnnotations.num(p.y()));
            w.writeAttribute("Z", "0");
        }
        w.writeCharacters("\n        ");
        w.writeEndElement();
        w.writeCharacters("\n      ");
        w.writeEndElement();
    }
}
