package org.uga.api.security;

/** The three roles of the platform; user names double as annotator names in campaign specs. */
public final class Roles {
    public static final String COORDINATOR = "coordinator";
    public static final String ANNOTATOR = "annotator";
    public static final String AUDITOR = "auditor";

    private Roles() {
    }
}
