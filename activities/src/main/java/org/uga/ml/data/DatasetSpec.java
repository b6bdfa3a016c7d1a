package org.uga.ml.data;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A dataset folder with an optional domain filter, as written on the command line: {@code DIR} or
 * {@code DIR:domain} (e.g. {@code ../shared/data/dsb2018-he:local}).
 */
public record DatasetSpec(Path dir, String domain) {

    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Splits at the last ':' when what follows looks like a domain name (letters, digits, {@code _ . -}); otherwise
     * the whole text is the folder.
     */
    public static DatasetSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty dataset spec; expected DIR or DIR:domain");
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0 && colon < text.length() - 1 && DOMAIN.matcher(text.substring(colon + 1)).matches()) {
            return new DatasetSpec(Path.of(text.substring(0, colon)), text.substring(colon + 1));
        }
        if (colon == text.length() - 1) {
            throw new IllegalArgumentException("dataset spec '" + text + "' ends with ':' but names no domain");
        }
        return new DatasetSpec(Path.of(text), null);
    }

    public Dataset read() {
        return DatasetReader.read(dir, domain);
    }

    @Override
    public String toString() {
        return domain == null ? dir.toString() : dir + ":" + domain;
    }
}
