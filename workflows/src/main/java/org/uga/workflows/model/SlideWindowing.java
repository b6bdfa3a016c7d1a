package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How whole slides in the pool ({@code slides/<slideId>/<file>} entries) are walked for scoring: square windows of
 * {@code windowSize} pixels (the model's input), neighbours sharing {@code overlap} pixels (blended, no seams), and
 * windows with less than {@code minTissueFraction} tissue not scored (the paper drops background tiles). Absent
 * ({@code null} in {@link LocalData}) means the worker's defaults: 256, 32, 0.05.
 *
 * @param windowSize        multiple of {@value #SIZE_MULTIPLE} (the U-Net downsamples by powers of two; the
 *                          scoring activity also checks the campaign model's own size multiple), at most
 *                          {@value #MAX_WINDOW}
 * @param overlap           {@code 0 <= overlap <= windowSize / 2}: more overlap scores every pixel more than
 *                          twice per axis, at {@code (w / (w - overlap))^2} times the cost
 * @param minTissueFraction in [0, 1]
 */
public record SlideWindowing(int windowSize, int overlap, double minTissueFraction) {

    public static final int SIZE_MULTIPLE = 16;
    public static final int MAX_WINDOW = 2048;

    public static SlideWindowing defaults() {
        return new SlideWindowing(256, 32, 0.05);
    }

    /** Problems, each naming the field under {@code localData.slideWindowing}. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (windowSize < SIZE_MULTIPLE || windowSize > MAX_WINDOW || windowSize % SIZE_MULTIPLE != 0) {
            p.add("localData.slideWindowing.windowSize must be a multiple of " + SIZE_MULTIPLE + " in [" + SIZE_MULTIPLE
                    + ", " + MAX_WINDOW + "], got " + windowSize);
        }
        if (overlap < 0 || overlap > windowSize / 2) {
            p.add("localData.slideWindowing.overlap must be in [0, windowSize / 2], got " + overlap
                    + " for windowSize " + windowSize);
        }
        if (!(minTissueFraction >= 0 && minTissueFraction <= 1)) {
            p.add("localData.slideWindowing.minTissueFraction must be in [0, 1], got " + minTissueFraction);
        }
        return p;
    }
}
