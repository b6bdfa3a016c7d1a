package org.uga.imaging.annotations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AnnotationFormatsTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = AnnotationFormatsTest.class.getResourceAsStream("/annotations/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void qupathGeoJsonSample() throws Exception {
        AnnotationDocument doc = AnnotationFiles.read(resource("qupath-sample.geojson"));
        assertEquals(AnnotationFormat.GEOJSON, doc.format());
        assertEquals(2, doc.annotations().size());
        Annotation tumor = doc.annotations().get(0);
        assertEquals("Tumour bed", tumor.name());
        assertEquals("Tumor", tumor.classification());
        assertEquals(0xC80000, tumor.colorRgb());
        Polygon p = tumor.polygons().get(0);
        assertEquals(4, p.exterior().size(), "closing vertex dropped");
        assertEquals(1, p.holes().size());
        assertEquals(200 * 160 - 70 * 50, p.area(), 1e-9);

        Annotation stroma = doc.annotations().get(1);
        assertEquals("Stroma", stroma.classification());
        assertEquals(-6895466 & 0xFFFFFF, stroma.colorRgb());
        assertEquals(2, stroma.polygons().size());
        assertEquals(new Point(400.5, 50.25), stroma.polygons().get(0).exterior().get(0));
        assertEquals(1, stroma.polygons().get(1).holes().size());

        assertEquals(1, doc.warnings().size(), "the MultiPoint feature is reported, not imported");
        assertTrue(doc.warnings().get(0).contains("MultiPoint"));

        // Rasterised: the hole is empty, the rest of the rectangle full.
        byte[] mask = PolygonRasterizer.rasterizeAnnotations(doc.annotations(), Set.of("Tumor"), Set.of(), 700, 500, 0, 0, 1);
        assertEquals(200 * 160 - 70 * 50, count(mask));
        assertEquals(0, mask[175 * 700 + 180], "inside the hole");
        assertEquals(1, mask[120 * 700 + 120]);
    }

    @Test
    void asapCamelyonSample() throws Exception {
        AnnotationDocument doc = AnnotationFiles.read(resource("camelyon-sample.xml"));
        assertEquals(AnnotationFormat.ASAP, doc.format());
        assertEquals(3, doc.annotations().size());
        Annotation first = doc.annotations().get(0);
        assertEquals("_0", first.classification());
        // Vertices come in Order, not document order.
        assertEquals(List.of(new Point(1000, 1000), new Point(1400, 1000), new Point(1400, 1300), new Point(1000, 1300)),
                first.polygons().get(0).exterior());
        assertEquals(0xF4FA58, first.colorRgb());
        assertEquals("_2", doc.annotations().get(1).classification());
        assertEquals("metastases", doc.annotations().get(2).classification());
        assertEquals(1, doc.warnings().size());
        assertTrue(doc.warnings().get(0).contains("Dot"));

        // Camelyon semantics: group _2 is cut out of the tumour.
        byte[] mask = PolygonRasterizer.rasterizeAnnotations(doc.annotations(), Set.of(), PolygonRasterizer.EXCLUSION_CLASSES,
                600, 400, 950, 950, 1);
        assertEquals(400 * 300 - 100 * 100, count(mask));
        assertEquals(0, mask[(1150 - 950) * 600 + (1150 - 950)]);
    }

    @Test
    void imageScopeSample() throws Exception {
        AnnotationDocument doc = AnnotationFiles.read(resource("imagescope-sample.xml"));
        assertEquals(AnnotationFormat.IMAGESCOPE, doc.format());
        assertEquals(3, doc.annotations().size(), "two positive nuclei regions + one ROI; the negative one is a hole");
        Annotation nucleus = doc.annotations().get(0);
        assertEquals("Nuclei", nucleus.classification());
        assertEquals(0x00FF00, nucleus.colorRgb());
        assertEquals(1, nucleus.polygons().get(0).holes().size(), "NegativeROA region became a hole");
        Annotation ellipse = doc.annotations().get(1);
        assertEquals("big nucleus", ellipse.name());
        assertEquals(Math.PI * 20 * 10, ellipse.polygons().get(0).area(), Math.PI * 20 * 10 * 0.01);
        Annotation roi = doc.annotations().get(2);
        assertEquals("Tumor", roi.classification());
        assertEquals(0xFF0000, roi.colorRgb(), "LineColor 255 is red in Aperio's BGR packing");
        assertEquals(60 * 40, roi.polygons().get(0).area(), 1e-9);
        assertTrue(doc.warnings().get(0).contains("ruler"));
    }

    @ParameterizedTest
    @EnumSource(AnnotationFormat.class)
    void writeThenReadKeepsPolygonsAndClasses(AnnotationFormat format) throws Exception {
        Polygon withHole = new Polygon(List.of(new Point(0.25, 0), new Point(100, 0), new Point(100, 80), new Point(0, 80)),
                List.of(List.of(new Point(10, 10), new Point(10, 30), new Point(30.5, 30), new Point(30, 10))));
        Polygon other = Polygon.rectangle(200, 200, 50, 40);
        List<Annotation> in = List.of(new Annotation("a & <b>", "Tumor", List.of(withHole), 0xC80000),
                new Annotation("c", "Stroma", List.of(other), 0x00AA00));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AnnotationFiles.write(format, in, out);
        AnnotationDocument back = AnnotationFiles.read(out.toByteArray());
        assertEquals(format, back.format());
        byte[] expected = PolygonRasterizer.rasterizeAnnotations(in, Set.of(), PolygonRasterizer.EXCLUSION_CLASSES, 300, 300, 0, 0, 1);
        byte[] got = PolygonRasterizer.rasterizeAnnotations(back.annotations(), Set.of(), PolygonRasterizer.EXCLUSION_CLASSES,
                300, 300, 0, 0, 1);
        assertArrayEquals(expected, got, format + " round trip changes the mask");
        assertTrue(back.annotations().stream().anyMatch(a -> a.classification().equals("Tumor") && a.colorRgb() == 0xC80000));
        assertTrue(back.annotations().stream().anyMatch(a -> a.classification().equals("Stroma")));
        if (format != AnnotationFormat.ASAP) {
            assertEquals(2, back.annotations().size());
            assertEquals(withHole, back.annotations().get(0).polygons().get(0));
            assertEquals("a & <b>", back.annotations().get(0).name());
        }
    }

    // --- malformed input -----------------------------------------------------------------------------------------

    static AnnotationFormatException fails(String content) {
        return assertThrows(AnnotationFormatException.class,
                () -> AnnotationFiles.read(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void jsonSyntaxErrorNamesLine() {
        AnnotationFormatException e = fails("{\n \"type\": \"FeatureCollection\",\n \"features\": [\n {\"type\": \"Feature\",, }\n]}");
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("GeoJSON line 4"), e.getMessage());
    }

    @Test
    void geoJsonStructureErrorsNameMemberAndLine() {
        AnnotationFormatException e = fails("""
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "properties": {},
                   "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], ["x", 5], [0, 0]]]}}
                ]}""");
        assertEquals(3, e.line(), e.getMessage());
        assertEquals("$.features[0].geometry.coordinates[0][2][0]", e.element());
        assertTrue(e.getMessage().contains("expected a number"), e.getMessage());

        e = fails("""
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "geometry": {"type": "Polygon"}}
                ]}""");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("missing 'coordinates'"), e.getMessage());

        e = fails("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,1]]]}}");
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
        e = fails("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Hexagon\", \"coordinates\": []}}");
        assertTrue(e.getMessage().contains("unknown geometry type 'Hexagon'"), e.getMessage());
    }

    @Test
    void xmlErrorsNameLineAndElement() {
        AnnotationFormatException e = fails("""
                <?xml version="1.0"?>
                <ASAP_Annotations>
                  <Annotations>
                    <Annotation Name="A" Type="Polygon" PartOfGroup="_0">
                      <Coordinates>
                        <Coordinate Order="0" X="1" Y="2" />
                        <Coordinate Order="1" Y="2" />
                """);
        assertEquals("Coordinate", e.element());
        assertEquals(7, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("missing attribute X"), e.getMessage());

        e = fails("<ASAP_Annotations>\n<Annotations>\n<Annotation Type=\"Polygon\">\n</Annotations>\n</ASAP_Annotations>");
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("malformed XML"), e.getMessage());

        e = fails("<Annotations>\n<Annotation Name=\"T\">\n<Regions>\n<Region Id=\"1\">\n<Vertices>\n"
                + "<Vertex X=\"1e\" Y=\"2\"/>\n</Vertices></Region></Regions></Annotation></Annotations>");
        assertEquals("Vertex", e.element());
        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("X=\"1e\" is not a number"), e.getMessage());

        e = fails("<ASAP_Annotations><Annotations><Annotation Name=\"A\" Type=\"Blob\"><Coordinates/></Annotation>"
                + "</Annotations></ASAP_Annotations>");
        assertTrue(e.getMessage().contains("unknown annotation Type=\"Blob\""), e.getMessage());

        e = fails("<Slide><Annotation/></Slide>");
        assertEquals("Slide", e.element());
        e = fails("hello");
        assertTrue(e.getMessage().contains("neither JSON nor XML"), e.getMessage());
    }

    @Test
    void externalEntitiesAreRefused() {
        AnnotationFormatException e = fails("""
                <?xml version="1.0"?>
                <!DOCTYPE Annotations [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <Annotations><Annotation Name="&xxe;"><Regions/></Annotation></Annotations>""");
        assertTrue(e.getMessage().contains("DTD") || e.getMessage().contains("xxe"), e.getMessage());
    }

    static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b;
        }
        return n;
    }
}
