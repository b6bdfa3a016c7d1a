package org.uga.ml.uncertainty;

/**
 * Turns member predictions into one uncertainty value per pixel. Implementations are pure functions,
 * chosen by {@link #name()} in config ({@code entropy}, {@code paper-ce}, {@code bald}, {@code variance}).
 */
public interface UncertaintyMeasure {

    String name();

    /** Row-major {@code height * width} uncertainty values (natural-log units for the entropy family). */
    float[] compute(MemberPredictions predictions);
}
