package org.uga.workflows.activities;

import java.util.List;

/** Outcome of a mask check: {@code ok} when it exists, is a PNG, is binary and has the expected size and hash. */
public record MaskCheck(String maskKey, boolean ok, String sha256, int width, int height, long foregroundPixels,
                        List<String> problems) {

    public MaskCheck {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
