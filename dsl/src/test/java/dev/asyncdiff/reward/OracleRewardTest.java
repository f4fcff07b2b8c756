package dev.asyncdiff.reward;

import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleRewardTest {
    private static BufferedImage render(String caption) {
        return SceneRenderer.render(SceneSampler.sample(CaptionParser.parse(caption), 4));
    }

    @Test
    void theDenseRewardIsTheShareOfPassedChecksAndTheVerdictAllOrNothing() {
        // "a red circle" has three checks: count, shape, colour. A blue circle passes two of them, two blue stars none.
        List<BufferedImage> images = List.of(render("a red circle"), render("a blue circle"),
                render("two blue stars"));
        List<String> prompts = List.of("a red circle", "a red circle", "a red circle");
        assertArrayEquals(new double[] {1, 2.0 / 3, 0}, OracleReward.DENSE.score(images, prompts), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0}, OracleReward.VERDICT.score(images, prompts), 1e-12);
    }

    @Test
    void theSameImagesWithOtherPromptsOrOtherImagesAreJudgedAfresh() {
        List<BufferedImage> images = List.of(render("a red circle"), render("a blue circle"));
        assertArrayEquals(new double[] {1, 0}, OracleReward.VERDICT.score(images, List.of("a red circle",
                "a red circle")), 1e-12);
        assertArrayEquals(new double[] {0, 1}, OracleReward.VERDICT.score(images, List.of("a blue circle",
                "a blue circle")), 1e-12, "the last batch's verdicts are reused only for the same prompts");
        List<BufferedImage> swapped = List.of(images.get(1), images.get(0));
        assertArrayEquals(new double[] {1, 0}, OracleReward.VERDICT.score(swapped, List.of("a blue circle",
                "a blue circle")), 1e-12, "… and only for the same images in the same order");
    }

    @Test
    void itNeedsOnePromptPerImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleReward.DENSE.score(List.of(render("a star")), List.of()));
        assertTrue(e.getMessage().contains("oracle needs one prompt per image"), e.getMessage());
    }
}
