package org.uga.imaging.annotations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * ASAP XML ({@code ASAP_Annotations/Annotations/Annotation[@Name,@Type,@PartOfGroup,@Color]/Coordinates/
 * Coordinate[@Order,@X,@Y]} plus {@code AnnotationGroups/Group[@Name,@PartOfGroup,@Color]}), the format of
 * ASAP and of the Camelyon16/17 ground truth. Polygon, Rectangle and Spline annotations become polygons
 * (vertices sorted by {@code Order}); Dot and PointSet are skipped with a warning. The class is
 * {@code PartOfGroup}; Camelyon's groups are {@code _0}/{@code _1} (tumour), {@code _2} (exclusion, see
 * {@link PolygonRasterizer#EXCLUSION_CLASSES}) and {@code metastases}.
 *
 * <p>ASAP has no holes: on export each hole becomes its own annotation in the exclusion group {@code _2}, which
 * the rasteriser cuts out again, so a mask survives the round trip.
 */
public final class AsapXmlAnnotations {

    private static final String FORMAT = "ASAP XML";
    public static final String EXCLUSION_GROUP = "_2";

    private AsapXmlAnnotations() {
    }

    public static AnnotationDocument read(InputStream in) throws AnnotationFormatException, IOException {
        List<Annotation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Integer> groupColors = new LinkedHashMap<>();
        try {
            XMLStreamReader r = Xml.reader(in);
            if (Xml.next(r, FORMAT) != XMLStreamReader.START_ELEMENT || !r.getLocalName().equals("ASAP_Annotations")) {
                throw Xml.error(r, FORMAT, "root element must be ASAP_Annotations", r.hasName() ? r.getLocalName() : null);
            }
            int depth = 1;
            while (depth > 0) {
                int e = Xml.next(r, FORMAT);
                if (e == XMLStreamReader.END_DOCUMENT) {
                    throw Xml.error(r, FORMAT, "document ends inside ASAP_Annotations", null);
                }
                if (e == XMLStreamReader.END_ELEMENT) {
                    depth--;
                    continue;
                }
                String name = r.getLocalName();
                if (name.equals("Annotation")) {
                    Annotation a = annotation(r, warnings);
                    if (a != null) {
                        out.add(a);
                    }
                } else if (name.equals("Group")) {
                    String g = Xml.attr(r, "Name");
                    if (g == null || g.isEmpty()) {
                        throw Xml.error(r, FORMAT, "group without a Name", "Group");
                    }
                    groupColors.put(g, Xml.parseHexColor(Xml.attr(r, "Color")));
                    depth++;
                } else {
                    depth++; // Annotations, AnnotationGroups, Attributes, ...
                }
            }
        } catch (XMLStreamException e) {
            throw Xml.error(e, FORMAT);
        }
        // Annotations without a colour of their own take their group's.
        List<Annotation> colored = new ArrayList<>(out.size());
        for (Annotation a : out) {
            Integer c = a.colorRgb() != null ? a.colorRgb() : groupColors.get(a.classification());
            colored.add(new Annotation(a.name(), a.classification(), a.polygons(), c));
        }
        return new AnnotationDocument(AnnotationFormat.ASAP, colored, warnings);
    }

    /** Reads one Annotation element (positioned on its start tag) through its end tag. */
    private static Annotation annotation(XMLStreamReader r, List<String> warnings)
            throws XMLStreamException, AnnotationFormatException {
        String name = Xml.attr(r, "Name");
        String type = Xml.attr(r, "Type");
        String group = Xml.attr(r, "PartOfGroup");
        Integer color = Xml.parseHexColor(Xml.attr(r, "Color"));
        int line = r.getLocation().getLineNumber();
        if (type == null) {
            throw Xml.error(r, FORMAT, "annotation '" + name + "' has no Type", "Annotation");
        }
        TreeMap<Integer, Point> byOrder = new TreeMap<>();
        List<Point> unordered = new ArrayList<>();
        int depth = 1;
        while (depth > 0) {
            int e = Xml.next(r, FORMAT);
            if (e == XMLStreamReader.END_DOCUMENT) {
                throw Xml.error(r, FORMAT, "document ends inside annotation '" + name + "'", "Annotation");
            }
            if (e == XMLStreamReader.END_ELEMENT) {
                depth--;
                continue;
            }
            depth++;
            if (r.getLocalName().equals("Coordinate")) {
                Point p = new Point(Xml.number(r, FORMAT, "X"), Xml.number(r, FORMAT, "Y"));
                String order = Xml.attr(r, "Order");
                if (order == null) {
                    unordered.add(p);
                } else {
                    try {
                        if (byOrder.put(Integer.parseInt(order.trim()), p) != null) {
                            throw Xml.error(r, FORMAT, "duplicate Order=\"" + order + "\"", "Coordinate");
                        }
                    } catch (NumberFormatException ex) {
                        throw Xml.error(r, FORMAT, "Order=\"" + order + "\" is not an integer", "Coordinate");
                    }
                }
            }
        }
        List<Point> pts = new ArrayList<>(byOrder.values());
        pts.addAll(unordered);
        String kind = type.toLowerCase(Locale.ROOT);
        switch (kind) {
            case "polygon", "spline", "rectangle" -> {
                if (kind.equals("rectangle") && pts.size() == 2) {
                    Point a = pts.get(0);
                    Point b = pts.get(1);
                    pts = List.of(a, new Point(b.x(), a.y()), b, new Point(a.x(), b.y()));
                }
                if (pts.size() < 3) {
                    throw new AnnotationFormatException(FORMAT, type + " annotation '" + name + "' has " + pts.size()
                            + " coordinates, needs at least 3", line, -1, "Annotation");
                }
                try {
                    return new Annotation(name, group == null || group.equals("None") ? "" : group,
                            List.of(new Polygon(pts)), color);
                } catch (IllegalArgumentException ex) {
                    throw new AnnotationFormatException(FORMAT, "annotation '" + name + "': " + ex.getMessage(),
                            line, -1, "Annotation");
                }
            }
            case "dot", "pointset", "measurement" -> {
                warnings.add("line " + line + ": " + type + " annotation '" + name + "' has no area, skipped");
                return null;
            }
            default -> throw new AnnotationFormatException(FORMAT, "unknown annotation Type=\"" + type + "\"", line, -1,
                    "Annotation");
        }
    }

    public static void write(List<Annotation> annotations, OutputStream out) throws IOException {
        try {
            XMLStreamWriter w = Xml.OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("ASAP_Annotations");
            w.writeCharacters("\n  ");
            w.writeStartElement("Annotations");
            Map<String, Integer> groups = new LinkedHashMap<>();
            int n = 0;
            for (Annotation a : annotations) {
                String group = a.classification().isEmpty() ? "None" : a.classification();
                if (!group.equals("None")) {
                    groups.putIfAbsent(group, a.colorRgb());
                }
                int part = 0;
                for (Polygon p : a.polygons()) {
                    String name = a.name().isEmpty() ? "Annotation " + n : a.name() + (a.polygons().size() > 1 ? " " + part : "");
                    writeAnnotation(w, name, group, a.colorRgb(), p.exterior());
                    n++;
                    int h = 0;
                    for (List<Point> hole : p.holes()) {
                        writeAnnotation(w, name + " hole " + h++, EXCLUSION_GROUP, 0x64FE2E, hole);
                        groups.putIfAbsent(EXCLUSION_GROUP, 0x64FE2E);
                        n++;
                    }
                    part++;
                }
            }
            w.writeCharacters("\n  ");
            w.writeEndElement();
            w.writeCharacters("\n  ");
            w.writeStartElement("AnnotationGroups");
            for (Map.Entry<String, Integer> g : groups.entrySet()) {
                w.writeCharacters("\n    ");
                w.writeStartElement("Group");
                w.writeAttribute("Name", g.getKey());
                w.writeAttribute("PartOfGroup", "None");
                w.writeAttribute("Color", Xml.hexColor(g.getValue()));
                w.writeEmptyElement("Attributes");
                w.writeEndElement();
            }
            w.writeCharacters("\n  ");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write ASAP XML: " + e.getMessage(), e);
        }
    }

    private static void writeAnnotation(XMLStreamWriter w, String name, String group, Integer color, List<Point> ring)
            throws XMLStreamException {
        w.writeCharacters("\n    ");
        w.writeStartElement("Annotation");
        w.writeAttribute("Name", name);
        w.writeAttribute("Type", "Polygon");
        w.writeAttribute("PartOfGroup", group);
        w.writeAttribute("Color", Xml.hexColor(color));
        w.writeCharacters("\n      ");
        w.writeStartElement("Coordinates");
        for (int i = 0; i < ring.size(); i++) {
            w.writeCharacters("\n        ");
            w.writeEmptyElement("Coordinate");
            w.writeAttribute("Order", Integer.toString(i));
            w.writeAttribute("X", num(ring.get(i).x()));
            w.writeAttribute("Y", num(ring.get(i).y()));
        }
        w.writeCharacters("\n      ");
        w.writeEndElement();
        w.writeCharacters("\n    ");
        w.writeEndElement();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
