package dev.asyncdiff.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneRendererTest {
    private static final int GREY = 130;
    private static final Background FLAT = new Background(GREY, 0, 0, 0, 16, 0, 0, 10, 0);

    @Test
    void theSameSceneRendersToTheSamePixelsBitForBit() {
        PromptSplits splits = PromptSplits.generate(1);
        for (Caption c : splits.get(Split.VAL).subList(0, 200)) {
            Scene scene = SceneSampler.sample(c.requirements(), c.text().hashCode());
            assertArrayEquals(pixels(SceneRenderer.render(scene)), pixels(SceneRenderer.render(scene)), c.text());
        }
    }

    @Test
    void imagesAreSixtyFourSquareRgb() {
        BufferedImage image = SceneRenderer.render(SceneSampler.sample(CaptionParser.parse("a red circle"), 0));
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        assertEquals(64, image.getWidth());
        assertEquals(64, image.getHeight());
    }

    @Test
    void backgroundsStayMidGreyWithLowChromaYetCarryDetail() {
        int detailed = 0;
        for (long seed = 0; seed < 200; seed++) {
            Scene empty = new Scene(SceneSampler.sample(CaptionParser.parse("a star"), seed).background(), List.of());
            double lo = 255;
            double hi = 0;
            for (int rgb : pixels(SceneRenderer.render(empty))) {
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                double lightness = (r + g + b) / 3.0;
                assertTrue(lightness >= Background.MIN_LIGHTNESS && lightness <= Background.MAX_LIGHTNESS,
                        "lightness " + lightness);
                assertTrue(Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) <= 2 * Background.MAX_WARMTH);
                lo = Math.min(lo, lightness);
                hi = Math.max(hi, lightness);
            }
            detailed += hi - lo >= 4 ? 1 : 0;
        }
        assertTrue(detailed >= 180, "only " + detailed + " of 200 backgrounds vary by 4 or more levels");
    }

    @Test
    void noObjectToneCanPassForBackground() {
        for (Colour c : Colour.values()) {
            for (java.awt.Color tone : List.of(c.primary(), c.secondTone())) {
                int r = tone.getRed();
                int g = tone.getGreen();
                int b = tone.getBlue();
                int chroma = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
                double lightness = (r + g + b) / 3.0;
                assertTrue(chroma >= 60 || lightness <= Background.MIN_LIGHTNESS - 30
                        || lightness >= Background.MAX_LIGHTNESS + 30, c + " " + tone);
            }
        }
    }

    /** Closed-form areas of the unit outlines, whose bounding box has longer side 1. */
    @ParameterizedTest(name = "a plain {0} covers {1} of its extent squared, centred on its position")
    @CsvSource({
            "CIRCLE, 0.785398",           // π/4
            "SQUARE, 1.0",
            "TRIANGLE, 0.433013",         // equilateral, side 1: √3/4
            "DIAMOND, 0.4",               // width 0.8, height 1: 0.8/2
            "CROSS, 0.5904",              // arms 0.36 wide: 1 − 4·0.32²
            "STAR, 0.406166",             // R = 1, r = 0.5: 5·R·r·sin 36° over (2·sin 72°)²
    })
    void aPlainObjectCoversItsClosedFormAreaCentredOnItsPosition(Shape shape, double unitArea) {
        double extent = 26;
        double x = 31.3;
        double y = 32.6;
        Scene scene = new Scene(FLAT, List.of(new SceneObject(shape, Colour.WHITE, Texture.PLAIN, x, y, extent,
                new TexturePlacement(0, 0, false))));
        BufferedImage image = SceneRenderer.render(scene);
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int py = 0; py < 64; py++) {
            for (int px = 0; px < 64; px++) {
                double alpha = (((image.getRGB(px, py) >> 8) & 0xFF) - GREY) / (250.0 - GREY);
                mass += alpha;
                mx += alpha * (px + 0.5);
                my += alpha * (py + 0.5);
            }
        }
        assertEquals(unitArea * extent * extent, mass, 0.01 * unitArea * extent * extent);
        assertEquals(x, mx / mass, 0.1);
        assertEquals(y, my / mass, 0.1);
    }

    @Test
    void texturesPaintBothTonesOfTheColourAndPlainOnlyOne() {
        for (Texture t : Texture.values()) {
            Scene scene = new Scene(FLAT, List.of(new SceneObject(Shape.SQUARE, Colour.BLUE, t, 32, 32, 26,
                    new TexturePlacement(1, 2, true))));
            BufferedImage image = SceneRenderer.render(scene);
            int primary = 0;
            int second = 0;
            for (int rgb : pixels(image)) {
                primary += (rgb & 0xFFFFFF) == (Colour.BLUE.primary().getRGB() & 0xFFFFFF) ? 1 : 0;
                second += (rgb & 0xFFFFFF) == (Colour.BLUE.secondTone().getRGB() & 0xFFFFFF) ? 1 : 0;
            }
            assertTrue(primary > 100, t + " primary " + primary);
            if (t == Texture.PLAIN) {
                assertEquals(0, second);
            } else {
                assertTrue(second > 60, t + " second " + second);
            }
        }
    }

    @Test
    void chwTensorsHoldChannelPlanesInMinusOneToOneAndConvertBackExactly() {
        BufferedImage image = SceneRenderer.render(SceneSampler.sample(CaptionParser.parse("a yellow star"), 3));
        float[] chw = ImageTensors.toChw(image);
        assertEquals(3 * 64 * 64, chw.length);
        int rgb = image.getRGB(10, 20);
        int i = 20 * 64 + 10;
        assertEquals(((rgb >> 16) & 0xFF) / 127.5f - 1f, chw[i], 1e-6);
        assertEquals(((rgb >> 8) & 0xFF) / 127.5f - 1f, chw[64 * 64 + i], 1e-6);
        assertEquals((rgb & 0xFF) / 127.5f - 1f, chw[2 * 64 * 64 + i], 1e-6);
        for (float v : chw) {
            assertTrue(v >= -1f && v <= 1f);
        }
        assertArrayEquals(pixels(image), pixels(ImageTensors.fromChw(chw, 64, 64)));
        assertArrayEquals(chw, SceneRenderer.renderChw(SceneSampler.sample(CaptionParser.parse("a yellow star"), 3)));
    }

    @Test
    void outOfRangeTensorValuesAreClamped() {
        float[] chw = new float[3 * 2 * 2];
        java.util.Arrays.fill(chw, 5f);
        chw[0] = -7f;
        BufferedImage image = ImageTensors.fromChw(chw, 2, 2);
        assertEquals(0x00FFFF, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(1, 1) & 0xFFFFFF);
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
