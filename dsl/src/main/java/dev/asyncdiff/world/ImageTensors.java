package dev.asyncdiff.world;

import java.awt.image.BufferedImage;

/** Conversions between RGB images and channel-first float arrays in [−1, 1], the models' pixel space. */
public final class ImageTensors {
    private ImageTensors() {
    }

    /** The image as floats in [−1, 1], laid out channel by channel (R, G, B), each row by row. */
    public static float[] toChw(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] chw = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int i = y * w + x;
                chw[i] = ((rgb >> 16) & 0xFF) / 127.5f - 1f;
                chw[w * h + i] = ((rgb >> 8) & 0xFF) / 127.5f - 1f;
                chw[2 * w * h + i] = (rgb & 0xFF) / 127.5f - 1f;
            }
        }
        return chw;
    }

    /** The inverse of {@link #toChw}: values are clamped to [−1, 1] and rounded to the nearest 8-bit level. */
    public static BufferedImage fromChw(float[] chw, int width, int height) {
        if (chw.length != 3 * width * height) {
            throw new IllegalArgumentException("a " + width + "×" + height + " RGB image needs " + 3 * width * height
                    + " floats (got " + chw.length + ")");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        for (int i = 0; i < plane; i++) {
            int rgb = (level(chw[i]) << 16) | (level(chw[plane + i]) << 8) | level(chw[2 * plane + i]);
            image.setRGB(i % width, i / width, rgb);
        }
        return image;
    }

    private static int level(float v) {
        float clamped = Math.max(-1f, Math.min(1f, v));
        return Math.round((clamped + 1f) * 127.5f);
    }
}
