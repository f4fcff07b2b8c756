package dev.asyncdiff.world;

/**
 * A scene's background: a grey with a faint warm or cool tint, carrying structured, low-contrast detail — a soft
 * linear gradient, large faint tiles and thin faint lines. Every background pixel keeps its lightness within
 * [{@link #MIN_LIGHTNESS}, {@link #MAX_LIGHTNESS}] and its chroma (max − min channel) at most 2·{@link #MAX_WARMTH},
 * which no object tone comes near; this is what lets the oracle separate objects from background.
 *
 * @param grey              mean lightness
 * @param warmth            added to red and taken from blue; negative is cool
 * @param gradientAngle     direction of the gradient, radians
 * @param gradientAmplitude lightness change from the image centre to its far edge along the gradient
 * @param tileSize          side of the faint checkerboard tiles, pixels
 * @param tileAmplitude     lightness added to one tile colour and taken from the other
 * @param lineAngle         direction of the lines' normal, radians
 * @param lineSpacing       distance between lines, pixels
 * @param lineAmplitude     lightness added on a line
 */
public record Background(int grey, int warmth, double gradientAngle, double gradientAmplitude, int tileSize,
                         double tileAmplitude, double lineAngle, double lineSpacing, double lineAmplitude) {

    public static final int MIN_LIGHTNESS = 110;
    public static final int MAX_LIGHTNESS = 156;
    public static final int MAX_WARMTH = 3;

    /** Half the image diagonal, rounded up: the gradient's projection stays within [−1, 1] over the image. */
    private static final double GRADIENT_REACH = 45;
    private static final double LINE_HALF_WIDTH = 1.2;

    public Background {
        if (Math.abs(warmth) > MAX_WARMTH) {
            throw new IllegalArgumentException("background warmth must be within ±" + MAX_WARMTH + " (got " + warmth
                    + ")");
        }
        if (gradientAmplitude < 0 || tileAmplitude < 0 || lineAmplitude < 0) {
            throw new IllegalArgumentException("background amplitudes must be ≥ 0 (got gradient " + gradientAmplitude
                    + ", tiles " + tileAmplitude + ", lines " + lineAmplitude + ")");
        }
        if (tileSize < 1 || !(lineSpacing > 2 * LINE_HALF_WIDTH)) {
            throw new IllegalArgumentException("background tiles must be ≥ 1 px and lines more than "
                    + 2 * LINE_HALF_WIDTH + " px apart (got " + tileSize + ", " + lineSpacing + ")");
        }
        double darkest = grey - gradientAmplitude - tileAmplitude;
        double lightest = grey + gradientAmplitude + tileAmplitude + lineAmplitude;
        if (darkest < MIN_LIGHTNESS || lightest > MAX_LIGHTNESS) {
            throw new IllegalArgumentException("background lightness would span [" + darkest + ", " + lightest
                    + "], outside [" + MIN_LIGHTNESS + ", " + MAX_LIGHTNESS + "]; lower the amplitudes or move grey");
        }
    }

    /** The packed RGB of pixel (x, y). */
    public int rgbAt(int x, int y) {
        double gradient = ((x - 31.5) * Math.cos(gradientAngle) + (y - 31.5) * Math.sin(gradientAngle))
                / GRADIENT_REACH;
        int tileParity = ((x / tileSize) + (y / tileSize)) % 2 == 0 ? 1 : -1;
        double u = x * Math.cos(lineAngle) + y * Math.sin(lineAngle);
        double m = u - lineSpacing * Math.floor(u / lineSpacing);
        double onLine = Math.max(0, 1 - Math.min(m, lineSpacing - m) / LINE_HALF_WIDTH);
        int lightness = (int) Math.round(grey + gradientAmplitude * gradient + tileAmplitude * tileParity
                + lineAmplitude * onLine);
        return ((lightness + warmth) << 16) | (lightness << 8) | (lightness - warmth);
    }
}
