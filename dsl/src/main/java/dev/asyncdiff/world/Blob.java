package dev.asyncdiff.world;

/**
 * A connected set of foreground pixels: one candidate object.
 *
 * @param mask  membership of every image pixel, row by row
 * @param width the image width, to index {@code mask}
 */
record Blob(boolean[] mask, int width, int area, int minX, int minY, int maxX, int maxY) {

    int height() {
        return mask.length / width;
    }

    boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height() && mask[y * width + x];
    }

    /** The mask shrunk by {@code steps} pixels: a pixel stays when its four neighbours were in the previous mask. */
    boolean[] eroded(int steps) {
        boolean[] current = mask;
        for (int s = 0; s < steps; s++) {
            boolean[] next = new boolean[mask.length];
            for (int y = minY; y <= maxY; y++) {
                for (int x = minX; x <= maxX; x++) {
                    int i = y * width + x;
                    next[i] = current[i] && x > 0 && y > 0 && x < width - 1 && y < height() - 1
                            && current[i - 1] && current[i + 1] && current[i - width] && current[i + width];
                }
            }
            current = next;
        }
        return current;
    }
}
