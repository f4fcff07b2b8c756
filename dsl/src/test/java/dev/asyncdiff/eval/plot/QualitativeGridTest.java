package dev.asyncdiff.eval.plot;

import dev.asyncdiff.eval.ImageGrid;
import org.junit.jupiter.api.Test;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QualitativeGridTest {
    private static BufferedImage noise(Random random) {
        BufferedImage im = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                im.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return im;
    }

    @Test
    void theGridHoldsEveryImageEnlargedExactlyBesideItsLabels() {
        Random random = new Random(7);
        List<List<BufferedImage>> cells = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            cells.add(List.of(noise(random), noise(random), noise(random)));
        }
        QualitativeGrid g = QualitativeGrid.of(List.of("a red circle above a blue square, striped", "two stars"),
                List.of("sync", "fixed:0.3:gamma=0.5", "fixed:0.3:lifted"), cells);
        int scale = (ImageGrid.MIN_TILE + 7) / 8; // the longer side, 8, enlarged to at least MIN_TILE
        assertEquals(scale, g.scale());
        assertTrue(g.left() > 0 && g.top() > 0 && g.columnWidth() >= 8 * scale && g.rowHeight() >= 6 * scale);
        assertEquals(g.left() + 3 * g.columnWidth() + 2 * QualitativeGrid.GAP, g.image().getWidth());
        assertEquals(g.top() + 2 * g.rowHeight() + QualitativeGrid.GAP, g.image().getHeight());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                Point o = g.origin(r, c);
                BufferedImage src = cells.get(r).get(c);
                for (int y = 0; y < 6 * scale; y++) {
                    for (int x = 0; x < 8 * scale; x++) {
                        assertEquals(src.getRGB(x / scale, y / scale), g.image().getRGB(o.x + x, o.y + y),
                                "cell " + r + "," + c + " pixel " + x + "," + y);
                    }
                }
            }
        }
        assertTrue(hasInk(g.image(), 0, g.top(), g.left(), g.image().getHeight()), "row labels drawn");
        assertTrue(hasInk(g.image(), g.left(), 0, g.image().getWidth(), g.top()), "column labels drawn");
    }

    private static boolean hasInk(BufferedImage im, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((im.getRGB(x, y) & 0xff) < 128) {
                    return true;
                }
            }
        }
        return false;
    }
}
