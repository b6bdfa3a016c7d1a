package org.uga.infra.testflow;

import java.time.Instant;

/** Carries an {@link Instant} so the tests exercise the data converter's java.time support. */
public record Decision(String reviewer, boolean approved, Instant decidedAt) {
}
