package org.uga.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Finds tissue on a low-resolution view with the paper's HSV rules: background glass is bright and nearly
 * unsaturated, and very dark pixels (pen, folds, out-of-focus debris, scanner borders) are dropped too.
 * Everything else counts as tissue.
 *
 * @param whiteMinValue      pixels at least this bright (HSV value, 0..1) ...
 * @param whiteMaxSaturation ... and at most this saturated are background
 * @param darkMaxValue       pixels at most this bright are dropped as dark
 */
public record TissueDetector(double whiteMinValue, double whiteMaxSaturation, double darkMaxValue) {

    /** Thresholds that separate H&E tissue from glass on the project's generated and the DSB tiles. */
    public static TissueDetector defaults() {
        return new TissueDetector(0.80, 0.12, 0.15);
    }

    public TissueDetector {
        if (whiteMinValue <= darkMaxValue) {
            throw new IllegalArgumentException("whiteMinValue " + whiteMinValue + " must exceed darkMaxValue " + darkMaxValue);
        }
    }

    /** True when an 8-bit RGB pixel is tissue. */
    public boolean isTissue(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        double value = max / 255.0;
        double saturation = max == 0 ? 0 : (double) (max - min) / max;
        if (value <= darkMaxValue) {
            return false;
        }
        return !(value >= whiteMinValue && saturation <= whiteMaxSaturation);
    }

    /** Tissue mask of an RGB image that shows the slide at {@code downsample}. */
    public TissueMask detect(BufferedImage view, double downsample) {
        int w = view.getWidth();
        int h = view.getHeight();
        byte[] rgb = Images.toInterleavedRgb(view);
        byte[] mask = new byte[w * h];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (isTissue(rgb[3 * i] & 0xff, rgb[3 * i + 1] & 0xff, rgb[3 * i + 2] & 0xff) ? 1 : 0);
        }
        return new TissueMask(w, h, downsample, mask);
    }

    /**
     * Tissue mask of a slide at about {@code targetDownsample} (e.g. 32): the coarsest pyramid level not
     * coarser than that, subsampled further while decoding when the pyramid stops early.
     */
    public TissueMask detect(ImageIoSlideReader slide, double targetDownsample) throws IOException {
        SlideLevel level = slide.info().bestLevelForDownsample(targetDownsample);
        int factor = Math.max(1, (int) Math.floor(targetDownsample / level.downsample()));
        BufferedImage view = slide.readSubsampled(level.index(), factor);
        return detect(view, level.downsample() * factor);
    }
}
