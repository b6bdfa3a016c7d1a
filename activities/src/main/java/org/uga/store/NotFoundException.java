package org.uga.store;

/** The key (or, for {@link ObjectStore#ensureBucket()}-less setups, the bucket) does not exist. */
public class NotFoundException extends StoreException {

    private final String key;

    public NotFoundException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The missing object key. */
    public String key() {
        return key;
    }
}
