package dev.asyncdiff.eval;

import dev.asyncdiff.Pipeline;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskLocalizationTest {
    @Test
    void aucCountsOrderedPairsWithTiesAsHalf() {
        boolean[] positive = {true, false, false, true};
        // pairs (0.9 > 0.8), (0.9 > 0.1), (0.8 = 0.8: half), (0.8 > 0.1)
        assertEquals(3.5 / 4, MaskLocalization.auc(new double[] {0.9, 0.8, 0.1, 0.8}, positive), 1e-12);
        assertEquals(0.0, MaskLocalization.auc(new double[] {0, 1, 1, 0}, positive), 1e-12);
        assertEquals(0.5, MaskLocalization.auc(new double[] {2, 2, 2, 2}, positive), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> MaskLocalization.auc(new double[] {1, 2},
                new boolean[] {true, true}));
    }

    @Test
    void objectPositionsAreTheCellsAtLeastAQuarterCoveredByTheOraclesObjects() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(220, 30, 30));
        g.fillRect(8, 16, 16, 16);    // exactly cells (row 2, col 1), (2, 2), (3, 1), (3, 2)
        g.fillRect(44, 44, 5, 5);     // 16 of cell (5, 5)'s 64 pixels (a quarter); 4 of (5, 6) and (6, 5), 1 of (6, 6)
        g.dispose();
        boolean[] object = MaskLocalization.objectPositions(image, 64);
        Set<Integer> found = new TreeSet<>();
        for (int p = 0; p < object.length; p++) {
            if (object[p]) {
                found.add(p);
            }
        }
        assertEquals(Set.of(2 * 8 + 1, 2 * 8 + 2, 3 * 8 + 1, 3 * 8 + 2, 5 * 8 + 5), found);
        assertThrows(IllegalArgumentException.class, () -> MaskLocalization.objectPositions(image, 63));
    }

    @Test
    void everyImageGetsAMeasurePerStepForEachBlockAndForAllBlocks() {
        List<String> prompts = List.of("a red circle left of a blue square", "a green triangle above a white cross");
        List<int[]> progress = new ArrayList<>();
        List<MaskLocalization.Measure> m = MaskLocalization.measure(Pipeline.tiny().steps(3), prompts, 1.0,
                (done, total) -> progress.add(new int[] {done, total}));
        assertEquals(2, progress.get(progress.size() - 1)[0]);
        Set<String> blocks = new TreeSet<>();
        m.forEach(x -> blocks.add(x.blocks()));
        assertTrue(blocks.contains(MaskLocalization.ALL_BLOCKS) && blocks.size() >= 2, blocks.toString());
        assertEquals(0, m.size() % (2 * 3 * blocks.size()), "2 word choices × 3 steps × " + blocks.size()
                + " block choices per image");
        for (MaskLocalization.Measure x : m) {
            assertTrue(x.auc() >= 0 && x.auc() <= 1 && x.recall() >= 0 && x.recall() <= 1 && x.coverage() >= 0
                    && x.coverage() <= 1 && x.objectShare() > 0 && x.objectShare() < 1, x.toString());
        }
        String table = MaskLocalization.toMarkdown(m, 3);
        assertTrue(table.contains("| " + MaskLocalization.NOUNS + " | all |"), table);
        assertThrows(IllegalArgumentException.class, () -> MaskLocalization.measure(Pipeline.tiny().steps(3),
                prompts, 0, (a, b) -> { }));
    }
}
