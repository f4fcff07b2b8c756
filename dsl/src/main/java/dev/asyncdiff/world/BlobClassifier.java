package dev.asyncdiff.world;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Measures a blob's colour, texture, shape, size and position.
 * <ul>
 * <li>Colour: each inner pixel votes for the colour owning its nearest tone (primary or second); the majority
 * wins, so a texture's two tones both count for their colour.</li>
 * <li>Shape, size and position: from the {@link ShapeFitter} fit to the blob's {@link OpacityMap}; size compares the
 * fitted extent with {@link Size#BOUNDARY}.</li>
 * <li>Texture: from {@link TextureFeatures} of the fitted shape's interior, where no background is mixed in. A
 * first look at the eroded blob decides how white and black objects' opacity is read before the fit exists.</li>
 * </ul>
 */
final class BlobClassifier {
    /** Below this spread of tone positions an object is plain. */
    static final double PLAIN_MAX_SPREAD = 0.09;
    /** Above this gradient anisotropy a textured object is striped: stripes vary across, never along. */
    static final double STRIPES_MIN_ANISOTROPY = 0.5;
    /** Mean tone position above which an isotropic texture is dotted: dots cover about a quarter, checks half. */
    static final double DOTS_MIN_MEAN = 0.59;
    /** The fitted, blurred drawing's opacity above which a pixel shows only the object, not the background. */
    static final double INTERIOR_OPACITY = 0.97;
    private static final Colour[] COLOURS = Colour.values();
    /** Fewest pixels a measurement may rest on before falling back to a less strict selection. */
    private static final int MIN_PIXELS = 12;

    private BlobClassifier() {
    }

    /** Measures {@code blob}; {@code all} are the image's blobs, whose pixels the measurement must not borrow. */
    static Detection classify(BufferedImage image, Blob blob, List<Blob> all) {
        Colour colour = colour(image, blob);
        Texture firstLook = texture(image, blob, inner(blob), colour);
        OpacityMap opacity = OpacityMap.of(image, blob, all, colour, firstLook == Texture.PLAIN);
        ShapeFit fit = ShapeFitter.fit(opacity);
        boolean[] interior = ShapeFitter.interior(opacity, fit, INTERIOR_OPACITY, image.getWidth(), image.getHeight());
        Texture texture = count(blob, interior) >= MIN_PIXELS ? texture(image, blob, interior, colour) : firstLook;
        return new Detection(fit.shape(), colour, texture, Size.ofExtent(fit.extent()), fit.x(), fit.y(),
                fit.extent());
    }

    static Colour colour(BufferedImage image, Blob blob) {
        int[] votes = new int[COLOURS.length];
        forEach(blob, inner(blob), (x, y) -> votes[nearestColour(image.getRGB(x, y)).ordinal()]++);
        Colour best = COLOURS[0];
        for (Colour c : COLOURS) {
            if (votes[c.ordinal()] > votes[best.ordinal()]) {
                best = c;
            }
        }
        return best;
    }

    /** The colour owning the tone nearest to a pixel, in RGB distance. */
    static Colour nearestColour(int rgb) {
        Colour best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Colour c : COLOURS) {
            double d = Math.min(distance(rgb, c.primary()), distance(rgb, c.secondTone()));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The texture shown by the given pixels. */
    static Texture texture(BufferedImage image, Blob blob, boolean[] pixels, Colour colour) {
        TextureFeatures f = TextureFeatures.measure(image, blob, pixels, colour);
        if (f.spread() < PLAIN_MAX_SPREAD) {
            return Texture.PLAIN;
        }
        if (f.anisotropy() > STRIPES_MIN_ANISOTROPY) {
            return Texture.STRIPED;
        }
        return f.mean() > DOTS_MIN_MEAN ? Texture.DOTTED : Texture.CHECKERED;
    }

    /**
     * The pixels far enough inside the blob that anti-aliasing and blur have not mixed them with the background:
     * the mask eroded twice, or once for blobs too thin to survive that.
     */
    static boolean[] inner(Blob blob) {
        for (int steps = 2; steps > 0; steps--) {
            boolean[] e = blob.eroded(steps);
            if (count(blob, e) >= MIN_PIXELS) {
                return e;
            }
        }
        return blob.mask();
    }

    private static int count(Blob blob, boolean[] mask) {
        int[] n = {0};
        forEach(blob, mask, (x, y) -> n[0]++);
        return n[0];
    }

    static void forEach(Blob blob, boolean[] mask, PixelVisitor visitor) {
        for (int y = blob.minY(); y <= blob.maxY(); y++) {
            for (int x = blob.minX(); x <= blob.maxX(); x++) {
                if (mask[y * blob.width() + x]) {
                    visitor.visit(x, y);
                }
            }
        }
    }

    private static double distance(int rgb, Color tone) {
        double dr = ((rgb >> 16) & 0xFF) - tone.getRed();
        double dg = ((rgb >> 8) & 0xFF) - tone.getGreen();
        double db = (rgb & 0xFF) - tone.getBlue();
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    @FunctionalInterface
    interface PixelVisitor {
        void visit(int x, int y);
    }
}
