package org.uga.store;

/** An object's bytes do not match the SHA-256 (or size) recorded when it was written: it was corrupted in storage. */
public class ChecksumMismatchException extends StoreException {

    private final String key;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String key, String expected, String actual) {
        super("object " + key + " is corrupted: recorded SHA-256 " + expected + " but read " + actual);
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    public ChecksumMismatchException(String key, long expectedSize, long actualSize) {
        super("object " + key + " is corrupted or truncated: expected " + expectedSize + " bytes but read " + actualSize);
        this.key = key;
        this.expected = Long.toString(expectedSize);
        this.actual = Long.toString(actualSize);
    }

    public String key() {
        return key;
    }

    /** Recorded SHA-256 hex (or size, for a length mismatch). */
    public String expected() {
        return expected;
    }

    /** What the read produced. */
    public String actual() {
        return actual;
    }
}
