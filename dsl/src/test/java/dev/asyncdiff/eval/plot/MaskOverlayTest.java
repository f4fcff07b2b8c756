package dev.asyncdiff.eval.plot;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaskOverlayTest {
    @Test
    void relatedBlocksAreTintedRedAndTheRestDimmedAtTheGivenScale() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, (100 << 16) | (200 << 8) | 50);
            }
        }
        // a 2×2 mask: the top-left block (pixels 0–1 × 0–1) is related
        BufferedImage out = MaskOverlay.of(image, new boolean[] {true, false, false, false}, 3);
        assertEquals(12, out.getWidth());
        assertEquals((177 << 16) | (100 << 8) | 25, out.getRGB(5, 5) & 0xffffff, "(100+255)/2, 200/2, 50/2");
        assertEquals((60 << 16) | (120 << 8) | 30, out.getRGB(6, 0) & 0xffffff, "dimmed to 3/5");
    }

    @Test
    void aMaskThatIsNotASquareGridDividingTheImageIsRefused() {
        BufferedImage image = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> MaskOverlay.of(image, new boolean[3], 1));
        assertThrows(IllegalArgumentException.class, () -> MaskOverlay.of(image, new boolean[16], 1));
    }
}
