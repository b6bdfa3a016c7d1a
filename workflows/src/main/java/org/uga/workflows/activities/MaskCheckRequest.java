package org.uga.workflows.activities;

/** Check the mask object at {@code maskKey}; {@code expectedSha256} may be null to just report it. */
public record MaskCheckRequest(String maskKey, int expectedWidth, int expectedHeight, String expectedSha256) {
}
