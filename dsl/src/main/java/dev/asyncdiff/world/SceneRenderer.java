package dev.asyncdiff.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;

/**
 * Renders scenes to 64×64 RGB images with Java2D, anti-aliased. Rendering is a pure function of the scene: the same
 * scene gives the same pixels, bit for bit. Textures are tiled patterns of the colour's two tones: stripes of
 * {@value #STRIPE_PERIOD} px period, dots of {@value #DOT_DIAMETER} px on a {@value #DOT_SPACING} px lattice, and
 * checks of {@value #CHECK_SIZE} px squares.
 */
public final class SceneRenderer {
    /** Width and height of every image, pixels. */
    public static final int SIZE = 64;
    static final int STRIPE_PERIOD = 6;
    static final int DOT_SPACING = 7;
    static final int DOT_DIAMETER = 4;
    static final int CHECK_SIZE = 3;

    private SceneRenderer() {
    }

    /** The scene as a {@code TYPE_INT_RGB} image of {@value #SIZE}×{@value #SIZE} pixels. */
    public static BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                image.setRGB(x, y, scene.background().rgbAt(x, y));
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject o : scene.objects()) {
                g.setPaint(paint(o));
                g.fill(ShapeOutline.placed(o.shape(), o.x(), o.y(), o.extent()));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The scene rendered and converted by {@link ImageTensors#toChw}: 3×64×64 floats in [−1, 1]. */
    public static float[] renderChw(Scene scene) {
        return ImageTensors.toChw(render(scene));
    }

    /** The side of a texture's repeating tile, pixels; 1 for plain. */
    static int tileSize(Texture texture) {
        return switch (texture) {
            case PLAIN -> 1;
            case STRIPED -> STRIPE_PERIOD;
            case DOTTED -> DOT_SPACING;
            case CHECKERED -> 2 * CHECK_SIZE;
        };
    }

    private static Paint paint(SceneObject o) {
        Color primary = o.colour().primary();
        Color second = o.colour().secondTone();
        TexturePlacement p = o.placement();
        return switch (o.texture()) {
            case PLAIN -> primary;
            case STRIPED -> tiled(stripes(primary, second, p.horizontalStripes()), p);
            case DOTTED -> tiled(dot(primary, second), p);
            case CHECKERED -> tiled(checks(primary, second), p);
        };
    }

    private static TexturePaint tiled(BufferedImage tile, TexturePlacement p) {
        return new TexturePaint(tile, new Rectangle(p.offsetX(), p.offsetY(), tile.getWidth(), tile.getHeight()));
    }

    private static BufferedImage stripes(Color primary, Color second, boolean horizontal) {
        BufferedImage tile = new BufferedImage(STRIPE_PERIOD, STRIPE_PERIOD, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < STRIPE_PERIOD; y++) {
            for (int x = 0; x < STRIPE_PERIOD; x++) {
                int phase = horizontal ? y : x;
                tile.setRGB(x, y, (phase < STRIPE_PERIOD / 2 ? primary : second).getRGB());
            }
        }
        return tile;
    }

    private static BufferedImage dot(Color primary, Color second) {
        BufferedImage tile = new BufferedImage(DOT_SPACING, DOT_SPACING, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        try {
            g.setColor(primary);
            g.fillRect(0, 0, DOT_SPACING, DOT_SPACING);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(second);
            double corner = (DOT_SPACING - DOT_DIAMETER) / 2.0;
            g.fill(new Ellipse2D.Double(corner, corner, DOT_DIAMETER, DOT_DIAMETER));
        } finally {
            g.dispose();
        }
        return tile;
    }

    private static BufferedImage checks(Color primary, Color second) {
        BufferedImage tile = new BufferedImage(2 * CHECK_SIZE, 2 * CHECK_SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2 * CHECK_SIZE; y++) {
            for (int x = 0; x < 2 * CHECK_SIZE; x++) {
                boolean first = (x < CHECK_SIZE) == (y < CHECK_SIZE);
                tile.setRGB(x, y, (first ? primary : second).getRGB());
            }
        }
        return tile;
    }
}
