package org.uga.imaging;

import java.util.List;

/**
 * What a slide holds: its format and resolution levels, level 0 the largest; when the file says so (Aperio's
 * ImageDescription {@code MPP = 0.2520|AppMag = 40}), the level-0 pixel size in micrometres and the scan
 * magnification, otherwise null.
 */
public record SlideInfo(String name, String format, List<SlideLevel> levels, Double micronsPerPixel,
                        Double magnification) {

    public SlideInfo {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("slide " + name + " has no image");
        }
        if (micronsPerPixel != null && !(micronsPerPixel > 0 && Double.isFinite(micronsPerPixel))) {
            throw new IllegalArgumentException("slide " + name + ": microns per pixel must be > 0, got " + micronsPerPixel);
        }
        if (magnification != null && !(magnification > 0 && Double.isFinite(magnification))) {
            throw new IllegalArgumentException("slide " + name + ": magnification must be > 0, got " + magnification);
        }
    }

    /** A slide without physical calibration. */
    public SlideInfo(String name, String format, List<SlideLevel> levels) {
        this(name, format, levels, null, null);
    }

    public int levelCount() {
        return levels.size();
    }

    public SlideLevel level(int index) {
        if (index < 0 || index >= levels.size()) {
            throw new IllegalArgumentException("slide " + name + " has levels 0.." + (levels.size() - 1) + ", not " + index);
        }
        return levels.get(index);
    }

    public int width() {
        return levels.get(0).width();
    }

    public int height() {
        return levels.get(0).height();
    }

    /** The coarsest level whose downsample does not exceed {@code downsample} (level 0 if none). */
    public SlideLevel bestLevelForDownsample(double downsample) {
        SlideLevel best = levels.get(0);
        for (SlideLevel l : levels) {
            if (l.downsample() <= downsample + 1e-6 && l.downsample() > best.downsample()) {
                best = l;
            }
        }
        return best;
    }
}
