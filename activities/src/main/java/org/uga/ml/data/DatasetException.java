package org.uga.ml.data;

/** A dataset folder that cannot be used as it is; the message names the offending file and what is wrong. */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
