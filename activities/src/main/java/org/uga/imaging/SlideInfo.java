package org.uga.imaging;

import java.util.List;

/** What a slide holds: its format and resolution levels, level 0 the largest. */
public record SlideInfo(String name, String format, List<SlideLevel> levels) {

    public SlideInfo {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("slide " + name + " has no image");
        }
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
