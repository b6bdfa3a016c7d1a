package org.uga.ml.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a dataset folder:
 * <pre>
 *   images/&lt;id&gt;.(png|tif|tiff|jpg|jpeg)   RGB (alpha dropped, gray expanded)
 *   masks/&lt;id&gt;.png                        binary 0/255 (or 0/1), same size as the image
 *   manifest.csv                            optional; header with at least {@code id}, usually {@code domain}
 * </pre>
 * Tiles are returned sorted by id. Without a manifest (or without its {@code domain} column) every tile gets the
 * domain {@value #DEFAULT_DOMAIN}. Every problem is a {@link DatasetException} naming the file.
 */
public final class DatasetReader {

    public static final String DEFAULT_DOMAIN = "default";
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "tif", "tiff", "jpg", "jpeg");

    private DatasetReader() {
    }

    /** All tiles; masks required. */
    public static Dataset read(Path dir) {
        return read(dir, null, true);
    }

    /** The tiles of one domain ({@code null} = all); masks required. */
    public static Dataset read(Path dir, String domainFilter) {
        return read(dir, domainFilter, true);
    }

    /**
     * @param requireMasks false for an unlabeled pool: tiles without {@code masks/<id>.png} get a null mask (a mask
     *                     that is present is still validated)
     */
    public static Dataset read(Path dir, String domainFilter, boolean requireMasks) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("dataset folder not found: " + dir);
        }
        Path imagesDir = dir.resolve("images");
        Path masksDir = dir.resolve("masks");
        if (!Files.isDirectory(imagesDir)) {
            throw new DatasetException("dataset " + dir + " has no images/ folder");
        }
        Map<String, Path> images = listImages(imagesDir);
        if (images.isEmpty()) {
            throw new DatasetException("dataset " + dir + ": images/ holds no png/tif/tiff/jpg files");
        }
        Map<String, String> domains = readManifest(dir.resolve("manifest.csv"), images);

        if (domainFilter != null) {
            Set<String> known = new java.util.TreeSet<>(domains.values());
            if (!known.contains(domainFilter)) {
                throw new DatasetException("dataset " + dir + " has no tiles of domain '" + domainFilter
                        + "'; domains: " + known);
            }
        }
        List<Tile> tiles = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.entrySet()) {
            String id = e.getKey();
            String domain = domains.get(id);
            if (domainFilter != null && !domainFilter.equals(domain)) {
                continue;
            }
            tiles.add(readTile(id, domain, e.getValue(), masksDir.resolve(id + ".png"), requireMasks));
        }
        String name = dir.toAbsolutePath().normalize().getFileName() + (domainFilter == null ? "" : ":" + domainFilter);
        return new Dataset(name, tiles);
    }

    private static Tile readTile(String id, String domain, Path imageFile, Path maskFile, boolean requireMasks) {
        Tile tile;
        try {
            tile = Images.readTile(imageFile, id, domain);
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("cannot read image " + imageFile + ": " + e.getMessage(), e);
        }
        if (!Files.exists(maskFile)) {
            if (requireMasks) {
                throw new DatasetException("missing mask " + maskFile + " for image " + imageFile);
            }
            return tile;
        }
        java.awt.image.BufferedImage maskImage;
        try {
            maskImage = Images.read(maskFile);
        } catch (IOException e) {
            throw new DatasetException("cannot read mask " + maskFile + ": " + e.getMessage(), e);
        }
        if (maskImage.getWidth() != tile.width() || maskImage.getHeight() != tile.height()) {
            throw new DatasetException("size mismatch: mask " + maskFile + " is " + maskImage.getWidth() + "x"
                    + maskImage.getHeight() + " but image " + imageFile + " is " + tile.width() + "x" + tile.height());
        }
        try {
            return tile.withMask(Images.toMask(maskImage, maskFile.toString()));
        } catch (IOException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    private static Map<String, Path> listImages(Path imagesDir) {
        Map<String, Path> images = new TreeMap<>();
        try (Stream<Path> files = Files.list(imagesDir)) {
            for (Path f : files.sorted().toList()) {
                String fn = f.getFileName().toString();
                int dot = fn.lastIndexOf('.');
                if (dot <= 0 || !Files.isRegularFile(f)) {
                    continue;
                }
                String ext = fn.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!IMAGE_EXTENSIONS.contains(ext)) {
                    continue;
                }
                String id = fn.substring(0, dot);
                Path previous = images.put(id, f);
                if (previous != null) {
                    throw new DatasetException("two images for id " + id + ": " + previous + " and " + f);
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot list " + imagesDir + ": " + e.getMessage(), e);
        }
        return images;
    }

    /** id → domain for every image; checks the manifest and the image folder agree. */
    private static Map<String, String> readManifest(Path manifest, Map<String, Path> images) {
        Map<String, String> domains = new LinkedHashMap<>();
        if (!Files.exists(manifest)) {
            images.keySet().forEach(id -> domains.put(id, DEFAULT_DOMAIN));
            return domains;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new DatasetException(manifest + " is empty; expected a header with an 'id' column");
        }
        List<String> header = parseCsvLine(stripBom(lines.get(0)), manifest, 1).stream().map(String::trim).toList();
        int idCol = header.indexOf("id");
        int domainCol = header.indexOf("domain");
        if (idCol < 0) {
            throw new DatasetException(manifest + " has no 'id' column; header: " + header);
        }
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = parseCsvLine(line, manifest, ln + 1);
            if (cells.size() <= Math.max(idCol, domainCol)) {
                throw new DatasetException(manifest + " line " + (ln + 1) + " has " + cells.size()
                        + " columns, header has " + header.size());
            }
            String id = cells.get(idCol).trim();
            String domain = domainCol < 0 ? DEFAULT_DOMAIN : cells.get(domainCol).trim();
            if (id.isEmpty()) {
                throw new DatasetException(manifest + " line " + (ln + 1) + " has an empty id");
            }
            if (domain.isEmpty()) {
                throw new DatasetException(manifest + " line " + (ln + 1) + " has an empty domain for id " + id);
            }
            if (!images.containsKey(id)) {
                throw new DatasetException(manifest + " line " + (ln + 1) + " lists id " + id
                        + " but there is no images/" + id + ".(png|tif|tiff|jpg)");
            }
            if (domains.put(id, domain) != null) {
                throw new DatasetException(manifest + " lists id " + id + " twice (line " + (ln + 1) + ")");
            }
        }
        for (Map.Entry<String, Path> e : images.entrySet()) {
            if (!domains.containsKey(e.getKey())) {
                throw new DatasetException("image " + e.getValue() + " has no row in " + manifest);
            }
        }
        return domains;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** One RFC 4180 line (quoted fields with "" escapes; no embedded newlines). */
    static List<String> parseCsvLine(String line, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new DatasetException(file + " line " + lineNo + " has an unterminated quote");
        }
        out.add(cur.toString());
        return out;
    }
}
