package dev.asyncdiff.reward;

import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WorldInputTest {
    private static final BufferedImage RENDER = SceneRenderer.render(SceneSampler.sample(
            CaptionParser.parse("two striped blue squares and a star"), 9));

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** Each pixel of the render repeated as a k×k block. */
    private static BufferedImage enlarged(BufferedImage image, int k) {
        BufferedImage out = new BufferedImage(image.getWidth() * k, image.getHeight() * k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, image.getRGB(x / k, y / k));
            }
        }
        return out;
    }

    @Test
    void anImageOfTheWorldsSizeIsUnchanged() {
        assertArrayEquals(pixels(RENDER), pixels(WorldInput.fit(RENDER)));
    }

    @Test
    void areaAveragingUndoesAnEnlargementByWholeBlocks() {
        assertArrayEquals(pixels(RENDER), pixels(WorldInput.fit(enlarged(RENDER, 3))));
    }

    @Test
    void aTallImageLosesEquallyMuchAboveAndBelow() {
        BufferedImage tall = new BufferedImage(64, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inside = y >= 18 && y < 82;
                tall.setRGB(x, y, inside ? RENDER.getRGB(x, y - 18) : 0xFF00FF);
            }
        }
        assertArrayEquals(pixels(RENDER), pixels(WorldInput.fit(tall)));
    }

    @Test
    void aSmallerImageIsInterpolatedLinearlyBetweenPixelCentres() {
        // Column i of a 32×32 ramp has level 8i; output column k samples input coordinate k/2 − 1/4, so its level
        // is 4k − 2 inside and the clamped end value at the borders.
        BufferedImage ramp = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                ramp.setRGB(x, y, 8 * x);
            }
        }
        BufferedImage fitted = WorldInput.fit(ramp);
        for (int k = 0; k < 64; k++) {
            int expected = k == 0 ? 0 : k == 63 ? 248 : 4 * k - 2;
            assertEquals(expected, fitted.getRGB(k, 20) & 0xFF, "column " + k);
        }
    }

    @Test
    void theOracleRewardScoresAnEnlargedRenderAsTheRenderItself() {
        List<String> prompt = List.of("two striped blue squares and a star");
        assertArrayEquals(OracleReward.DENSE.score(List.of(RENDER), prompt),
                OracleReward.DENSE.score(List.of(enlarged(RENDER, 4)), prompt));
    }
}
