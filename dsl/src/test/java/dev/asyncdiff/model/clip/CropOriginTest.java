package dev.asyncdiff.model.clip;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where the centre crop starts: transformers floors half the margin, torchvision's center_crop rounds it as Python's
 * round does (halves to the even integer), so the two differ by one pixel when half the margin is an odd integer and
 * a half. Checked on images already at the resize target (Pillow leaves those alone), whose crop must be the image's
 * own columns from the expected corner.
 */
class CropOriginTest {
    static final float[] HALF = {0.5f, 0.5f, 0.5f};

    @ParameterizedTest(name = "width {0}: corner {1} floored, {2} rounded half to even")
    @CsvSource({"35, 1, 2", "37, 2, 2", "39, 3, 4", "33, 0, 0", "32, 0, 0"})
    void theCornerIsFlooredOrRoundedHalfToEven(int width, int floored, int rounded) {
        BufferedImage img = ClipModelFolders.image(width, 32, width);
        assertEquals(floored, firstColumn(img, ClipImageProcessor.CropOrigin.FLOOR));
        assertEquals(rounded, firstColumn(img, ClipImageProcessor.CropOrigin.ROUND_HALF_EVEN));
    }

    /** The image column the crop's first column is, found by comparing the crop's top row with each offset. */
    static int firstColumn(BufferedImage img, ClipImageProcessor.CropOrigin origin) {
        int[][] crop = new ClipImageProcessor(32, 32, HALF, HALF, origin).resizedCrop(img);
        for (int left = 0; left + 32 <= img.getWidth(); left++) {
            boolean same = true;
            for (int x = 0; x < 32 && same; x++) {
                same = crop[2][x] == (img.getRGB(left + x, 0) & 0xFF);
            }
            if (same) {
                return left;
            }
        }
        return -1;
    }
}
