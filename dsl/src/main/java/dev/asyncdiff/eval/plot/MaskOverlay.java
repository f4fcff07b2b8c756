package dev.asyncdiff.eval.plot;

import java.awt.image.BufferedImage;

/**
 * An image with an AsynDM mask over it: positions on a square grid (the tiny model's 8×8 patch tokens), each covering
 * a block of pixels; related positions are tinted red at half strength, the rest dimmed, so the image stays readable
 * beneath.
 */
public final class MaskOverlay {
    private MaskOverlay() {
    }

    /**
     * @param mask per position, row-major on a side×side grid whose side divides the image's width and height
     * @param scale the output's enlargement (an integer ≥ 1, so that small images stay crisp)
     */
    public static BufferedImage of(BufferedImage image, boolean[] mask, int scale) {
        int side = (int) Math.round(Math.sqrt(mask.length));
        if (side * side != mask.length || image.getWidth() % side != 0 || image.getHeight() % side != 0) {
            throw new IllegalArgumentException("a mask of " + mask.length + " positions is not a square grid that "
                    + "divides a " + image.getWidth() + "×" + image.getHeight() + " image");
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1 (got " + scale + ")");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int px = x / scale;
                int py = y / scale;
                int rgb = image.getRGB(px, py);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                boolean inside = mask[(py * side / h) * side + px * side / w];
                if (inside) {
                    r = (r + 255) / 2;
                    g = g / 2;
                    b = b / 2;
                } else {
                    r = r * 3 / 5;
                    g = g * 3 / 5;
                    b = b * 3 / 5;
                }
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }
}
