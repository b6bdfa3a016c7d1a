package org.uga.infra;

/** A server of the embedded stack could not bind its port because another process (or server) holds it. */
public final class PortInUseException extends IllegalStateException {

    private final int port;
    private final String component;

    public PortInUseException(int port, String component, String envVariable, Throwable cause) {
        super("port " + port + " is already in use (" + component + "); stop the other process or set "
                + envVariable, cause);
        this.port = port;
        this.component = component;
    }

    public int port() {
        return port;
    }

    /** Which server wanted the port, e.g. {@code "Temporal test server"}. */
    public String component() {
        return component;
    }
}
