package org.uga.imaging.annotations;

import java.util.List;
import java.util.Objects;

/**
 * One annotation object: a name, a class (QuPath classification, ASAP group, ImageScope layer name) and one
 * or more polygons with holes, in slide level-0 pixel coordinates. {@code colorRgb} is {@code 0xRRGGBB} or
 * null when the file gave none.
 */
public record Annotation(String name, String classification, List<Polygon> polygons, Integer colorRgb) {

    public Annotation {
        name = name == null ? "" : name;
        classification = classification == null ? "" : classification;
        polygons = List.copyOf(Objects.requireNonNull(polygons, "polygons"));
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("annotation '" + name + "' has no polygon");
        }
    }

    public Annotation(String name, String classification, List<Polygon> polygons) {
        this(name, classification, polygons, null);
    }
}
