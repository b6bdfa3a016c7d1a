package org.uga.store;

/** Base of every object-store failure; callers never see a raw S3/MinIO exception. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
