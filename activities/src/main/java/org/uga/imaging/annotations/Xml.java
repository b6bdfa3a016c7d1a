package org.uga.imaging.annotations;

import java.io.InputStream;
import java.util.Locale;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Hardened StAX plumbing shared by the XML dialects: no DTDs, no external entities, located errors. */
final class Xml {

    private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();
    static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    static {
        INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        INPUT.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        INPUT.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        INPUT.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private Xml() {
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return INPUT.createXMLStreamReader(in);
    }

    /** Advances to the next start/end element, rejecting DTDs and entity references on the way. */
    static int next(XMLStreamReader r, String format) throws XMLStreamException, AnnotationFormatException {
        while (r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamReader.DTD || e == XMLStreamReader.ENTITY_REFERENCE) {
                throw error(r, format, "DTDs and entity references are not allowed in annotation files", null);
            }
            if (e == XMLStreamReader.START_ELEMENT || e == XMLStreamReader.END_ELEMENT
                    || e == XMLStreamReader.END_DOCUMENT) {
                return e;
            }
        }
        return XMLStreamReader.END_DOCUMENT;
    }

    static AnnotationFormatException error(XMLStreamReader r, String format, String message, String element) {
        Location l = r.getLocation();
        return new AnnotationFormatException(format, message, l == null ? -1 : l.getLineNumber(),
                l == null ? -1 : l.getColumnNumber(), element);
    }

    static AnnotationFormatException error(XMLStreamException e, String format) {
        Location l = e.getLocation();
        String msg = e.getMessage();
        // StAX messages repeat the location as "ParseError at [row,col]:[...]\nMessage: ..."; keep the message.
        int m = msg == null ? -1 : msg.indexOf("Message: ");
        if (m >= 0) {
            msg = msg.substring(m + 9);
        }
        return new AnnotationFormatException(format, "malformed XML: " + msg, l == null ? -1 : l.getLineNumber(),
                l == null ? -1 : l.getColumnNumber(), null, e);
    }

    static String attr(XMLStreamReader r, String name) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (r.getAttributeLocalName(i).equalsIgnoreCase(name)) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    static double number(XMLStreamReader r, String format, String name) throws AnnotationFormatException {
        String v = attr(r, name);
        String el = r.getLocalName();
        if (v == null) {
            throw error(r, format, "missing attribute " + name, el);
        }
        try {
            // ImageScope files from some locales use a decimal comma.
            double d = Double.parseDouble(v.trim().replace(',', '.'));
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw error(r, format, "attribute " + name + "=\"" + v + "\" is not a number", el);
        }
    }

    static String hexColor(Integer rgb) {
        return rgb == null ? "#F4FA58" : String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
    }

    static Integer parseHexColor(String s) {
        if (s == null || !s.matches("#?[0-9A-Fa-f]{6}")) {
            return null;
        }
        return Integer.parseInt(s.startsWith("#") ? s.substring(1) : s, 16);
    }
}
