package org.uga.infra.testflow;

import java.time.Instant;

public record ReviewResult(String summary, int threshold, Instant decidedAt) {
}
