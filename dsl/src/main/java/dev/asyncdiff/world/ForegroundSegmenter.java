package dev.asyncdiff.world;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Separates objects from the background. A pixel is foreground when it is clearly coloured (chroma above
 * {@link #MIN_CHROMA}) or clearly darker or lighter than any background grey; every object tone is, and no
 * background pixel is (see {@link Background}). Holes inside an object — where noise pushes a second-tone pixel
 * back into the grey range — are filled, and connected foreground regions (8-neighbourhood) of at least
 * {@link #MIN_AREA} pixels become blobs.
 */
final class ForegroundSegmenter {
    /** Background chroma is at most 6; object tones have at least 80. */
    static final int MIN_CHROMA = 36;
    /** Background lightness is at least 110; black's tones are 16 and 78. */
    static final int DARK_BELOW = 95;
    /** Background lightness is at most 156; white's tones are 188 and 250. */
    static final int LIGHT_ABOVE = 172;
    /** The smallest objects (small stars and diamonds) cover about 90 pixels; specks of noise cover a few. */
    static final int MIN_AREA = 20;

    private ForegroundSegmenter() {
    }

    /** The image's blobs, largest first. */
    static List<Blob> blobs(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return components(fillHoles(foreground(image), w, h), w, h);
    }

    /** The connected regions of a mask with at least {@link #MIN_AREA} pixels, largest first. */
    private static List<Blob> components(boolean[] foreground, int w, int h) {
        boolean[] seen = new boolean[w * h];
        List<Blob> blobs = new ArrayList<>();
        for (int start = 0; start < w * h; start++) {
            if (foreground[start] && !seen[start]) {
                Blob b = grow(foreground, seen, start, w, h);
                if (b.area() >= MIN_AREA) {
                    blobs.add(b);
                }
            }
        }
        blobs.sort(Comparator.comparingInt(Blob::area).reversed());
        return blobs;
    }

    /** The per-channel median of the background pixels in the blob's bounding box grown by 3 pixels. */
    static int[] localBackground(BufferedImage image, Blob blob) {
        List<int[]> ring = new ArrayList<>();
        for (int y = Math.max(0, blob.minY() - 3); y <= Math.min(image.getHeight() - 1, blob.maxY() + 3); y++) {
            for (int x = Math.max(0, blob.minX() - 3); x <= Math.min(image.getWidth() - 1, blob.maxX() + 3); x++) {
                int rgb = image.getRGB(x, y);
                if (!isForeground(rgb)) {
                    ring.add(new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF});
                }
            }
        }
        if (ring.isEmpty()) {
            int grey = (Background.MIN_LIGHTNESS + Background.MAX_LIGHTNESS) / 2;
            return new int[] {grey, grey, grey};
        }
        int[] median = new int[3];
        for (int c = 0; c < 3; c++) {
            int channel = c;
            median[c] = ring.stream().mapToInt(p -> p[channel]).sorted().toArray()[ring.size() / 2];
        }
        return median;
    }

    static boolean isForeground(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        int chroma = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
        double lightness = (r + g + b) / 3.0;
        return chroma > MIN_CHROMA || lightness < DARK_BELOW || lightness > LIGHT_ABOVE;
    }

    private static boolean[] foreground(BufferedImage image) {
        int w = image.getWidth();
        boolean[] fg = new boolean[w * image.getHeight()];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = isForeground(image.getRGB(i % w, i / w));
        }
        return fg;
    }

    /** Marks as foreground every background pixel not 4-connected to the image border. */
    private static boolean[] fillHoles(boolean[] fg, int w, int h) {
        boolean[] outside = new boolean[w * h];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < w * h; i++) {
            int x = i % w;
            int y = i / w;
            if (!fg[i] && (x == 0 || y == 0 || x == w - 1 || y == h - 1)) {
                outside[i] = true;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int x = i % w;
            int y = i / w;
            int[] neighbours = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
            for (int n : neighbours) {
                if (n >= 0 && !fg[n] && !outside[n]) {
                    outside[n] = true;
                    queue.add(n);
                }
            }
        }
        boolean[] filled = new boolean[w * h];
        for (int i = 0; i < w * h; i++) {
            filled[i] = !outside[i];
        }
        return filled;
    }

    private static Blob grow(boolean[] fg, boolean[] seen, int start, int w, int h) {
        boolean[] mask = new boolean[w * h];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        seen[start] = true;
        int area = 0;
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int x = i % w;
            int y = i / w;
            mask[i] = true;
            area++;
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                        int n = ny * w + nx;
                        if (fg[n] && !seen[n]) {
                            seen[n] = true;
                            queue.add(n);
                        }
                    }
                }
            }
        }
        return new Blob(mask, w, area, minX, minY, maxX, maxY);
    }
}
