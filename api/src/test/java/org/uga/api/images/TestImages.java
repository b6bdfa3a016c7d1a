package org.uga.api.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Generated test images: H&E-like tiles (pink stroma, purple nuclei) with their binary nucleus masks. */
public final class TestImages {

    private TestImages() {
    }

    public record TileWithMask(byte[] imagePng, byte[] maskPng) {
    }

    public static TileWithMask tile(int w, int h, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        Graphics2D m = mask.createGraphics();
        g.setColor(new Color(235, 180, 210));
        g.fillRect(0, 0, w, h);
        m.setColor(Color.BLACK);
        m.fillRect(0, 0, w, h);
        int nuclei = 3 + rnd.nextInt(5);
        for (int i = 0; i < nuclei; i++) {
            int r = 3 + rnd.nextInt(Math.max(2, w / 10));
            int x = rnd.nextInt(w), y = rnd.nextInt(h);
            g.setColor(new Color(90 + rnd.nextInt(40), 40 + rnd.nextInt(30), 140 + rnd.nextInt(40)));
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
            m.setColor(Color.WHITE);
            m.fillOval(x - r, y - r, 2 * r, 2 * r);
        }
        g.dispose();
        m.dispose();
        return new TileWithMask(encode(img, "png"), encode(mask, "png"));
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static byte[] grayMask(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x < w / 2) ? value : 0);
            }
        }
        return encode(img, "png");
    }

    /** A gray PNG with a gradient: not binary. */
    public static byte[] gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 255) / Math.max(1, w - 1));
            }
        }
        return encode(img, "png");
    }

    public static byte[] rgb(int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200, 120, 160));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return encode(img, format);
    }
}
