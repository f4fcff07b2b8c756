package dev.asyncdiff.world;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OracleTest {
    private static final Background FLAT = new Background(130, 0, 0, 0, 16, 0, 0, 10, 0);
    private static PromptSplits splits;

    @BeforeAll
    static void generate() {
        splits = PromptSplits.generate(0);
    }

    @Test
    void acceptsAtLeast97PercentOfCleanValRendersInEveryCategory() {
        OracleReport report = evaluate(splits.get(Split.VAL), UnaryOperator.identity());
        System.out.println("Oracle on clean val renders (300 per category):\n" + report.toMarkdown());
        for (Category c : Category.values()) {
            assertTrue(report.accuracy(c) >= 0.97, c.label() + ": " + report.accuracy(c));
        }
    }

    @Test
    void acceptsAtLeast97PercentOfCleanValUnseenRendersInEveryCategory() {
        OracleReport report = evaluate(subsample(splits.get(Split.VAL_UNSEEN), 3), UnaryOperator.identity());
        System.out.println("Oracle on clean val_unseen renders (100 per category):\n" + report.toMarkdown());
        for (Category c : Category.values()) {
            assertTrue(report.accuracy(c) >= 0.97, c.label() + ": " + report.accuracy(c));
        }
    }

    @Test
    void stillAcceptsRendersBlurredByAGaussianOfZeroPointEightPixels() {
        OracleReport report = evaluate(subsample(splits.get(Split.VAL), 3), img -> ImageDegradation.blur(img, 0.8));
        System.out.println("Oracle on val renders blurred with σ = 0.8 px (100 per category):\n" + report.toMarkdown());
        for (Category c : Category.values()) {
            assertTrue(report.accuracy(c) >= 0.95, c.label() + ": " + report.accuracy(c));
        }
    }

    @Test
    void stillAcceptsRendersWithMildBlurAndPixelNoise() {
        int[] seed = {0};
        OracleReport report = evaluate(subsample(splits.get(Split.VAL), 6),
                img -> ImageDegradation.noise(ImageDegradation.blur(img, 0.6), 5, seed[0]++));
        System.out.println("Oracle on val renders blurred (σ = 0.6 px) with noise (σ = 5 levels), 50 per category:\n"
                + report.toMarkdown());
        for (Category c : Category.values()) {
            assertTrue(report.accuracy(c) >= 0.94, c.label() + ": " + report.accuracy(c));
        }
    }

    @ParameterizedTest(name = "recognises every colour and texture of a {0} at both sizes")
    @EnumSource(Shape.class)
    void recognisesEveryColourAndTextureOfEachShapeAtBothSizes(Shape shape) {
        for (Colour colour : Colour.values()) {
            for (Texture texture : Texture.values()) {
                for (Size size : Size.values()) {
                    double extent = size == Size.SMALL ? size.minExtent() : size.maxExtent();
                    SceneObject o = new SceneObject(shape, colour, texture, 30.4, 33.7, extent,
                            new TexturePlacement(2, 1, colour.ordinal() % 2 == 0));
                    List<Detection> found = Oracle.detect(SceneRenderer.render(new Scene(FLAT, List.of(o))));
                    String what = size + " " + texture + " " + colour + " " + shape;
                    assertEquals(1, found.size(), what);
                    Detection d = found.get(0);
                    assertEquals(List.of(shape, colour, texture, size),
                            List.of(d.shape(), d.colour(), d.texture(), d.size()), what);
                    assertEquals(o.x(), d.x(), 0.25, what);
                    assertEquals(o.y(), d.y(), 0.25, what);
                }
            }
        }
    }

    @Test
    void rejectsAScenePaintedInAnotherColour() {
        for (Caption c : subsample(splits.get(Split.VAL, Category.COLOUR), 3)) {
            Scene scene = SceneSampler.sample(c.requirements(), c.text().hashCode());
            List<SceneObject> objects = new ArrayList<>(scene.objects());
            Colour stated = objects.get(0).colour();
            Colour other = Colour.values()[(stated.ordinal() + 3) % Colour.values().length];
            objects.set(0, objects.get(0).withColour(other));
            Verdict v = Oracle.judge(SceneRenderer.render(new Scene(scene.background(), objects)), c.requirements());
            assertFalse(v.satisfied(), c.text() + " painted " + other.word());
            assertFalse(v.passed(CheckKind.COLOUR), c.text());
            assertTrue(v.passed(CheckKind.SHAPE) && v.passed(CheckKind.COUNT), c.text() + ": " + v.failures());
        }
    }

    @Test
    void rejectsAMirroredSceneForItsRelation() {
        for (Caption c : subsample(splits.get(Split.VAL, Category.SPATIAL), 3)) {
            Scene scene = SceneSampler.sample(c.requirements(), c.text().hashCode());
            boolean horizontal = c.requirements().relation().orElseThrow().horizontal();
            List<SceneObject> mirrored = scene.objects().stream()
                    .map(o -> new SceneObject(o.shape(), o.colour(), o.texture(), horizontal ? 64 - o.x() : o.x(),
                            horizontal ? o.y() : 64 - o.y(), o.extent(), o.placement()))
                    .toList();
            Verdict v = Oracle.judge(SceneRenderer.render(new Scene(scene.background(), mirrored)), c.requirements());
            assertFalse(v.passed(CheckKind.RELATION), c.text());
        }
    }

    @Test
    void rejectsASceneMissingAnObject() {
        for (Caption c : subsample(splits.get(Split.VAL, Category.NUMERACY), 3)) {
            Scene scene = SceneSampler.sample(c.requirements(), c.text().hashCode());
            Scene fewer = new Scene(scene.background(), scene.objects().subList(1, scene.objects().size()));
            Verdict v = Oracle.judge(SceneRenderer.render(fewer), c.requirements());
            assertFalse(v.passed(CheckKind.COUNT), c.text());
            assertFalse(v.satisfied(), c.text());
        }
    }

    @Test
    void rejectsAnotherShapeTextureOrSize() {
        Scene scene = new Scene(FLAT, List.of(new SceneObject(Shape.STAR, Colour.GREEN, Texture.STRIPED, 32, 32, 26,
                new TexturePlacement(0, 0, true))));
        BufferedImage image = SceneRenderer.render(scene);
        assertTrue(Oracle.judge(image, "a large striped green star").satisfied());
        assertFalse(Oracle.judge(image, "a large striped green circle").passed(CheckKind.SHAPE));
        assertFalse(Oracle.judge(image, "a large dotted green star").passed(CheckKind.TEXTURE));
        assertFalse(Oracle.judge(image, "a small striped green star").passed(CheckKind.SIZE));
        assertFalse(Oracle.judge(image, "two green stars").passed(CheckKind.COUNT));
    }

    @Test
    void findsNothingInAnEmptySceneAndFailsEveryCheck() {
        BufferedImage image = SceneRenderer.render(new Scene(FLAT, List.of()));
        assertEquals(List.of(), Oracle.detect(image));
        Verdict v = Oracle.judge(image, "a red circle left of a blue square");
        assertTrue(v.checks().stream().noneMatch(Check::passed), v.checks().toString());
    }

    @Test
    void refusesToJudgeAPromptWithUnknownWords() {
        BufferedImage image = SceneRenderer.render(new Scene(FLAT, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Oracle.judge(image, "a magenta circle"));
        assertTrue(e.getMessage().contains("[magenta]"), e.getMessage());
    }

    @Test
    void reportsTheShareOfSatisfiedCaptionsPerCategory() {
        Caption red = Caption.of(Category.COLOUR, CaptionParser.parse("a red circle"));
        Caption star = Caption.of(Category.SHAPE, CaptionParser.parse("a star"));
        Verdict pass = new Verdict(List.of(new Check(CheckKind.SHAPE, "", true)), List.of());
        Verdict fail = new Verdict(List.of(new Check(CheckKind.SHAPE, "", true), new Check(CheckKind.COLOUR, "",
                false)), List.of());
        OracleReport report = OracleReport.of(List.of(red, red, red, star), List.of(pass, fail, pass, fail));
        assertEquals(2.0 / 3, report.accuracy(Category.COLOUR), 1e-12);
        assertEquals(0.0, report.accuracy(Category.SHAPE), 1e-12);
        assertEquals(0.5, report.overall(), 1e-12);
        assertEquals(new OracleReport.Tally(4, 4), report.byCheck().get(CheckKind.SHAPE));
        assertTrue(Double.isNaN(report.accuracy(Category.SPATIAL)));
    }

    @Test
    void reportsTheShareOfSatisfiedCaptionsPerNumberOfObjects() {
        Caption one = Caption.of(Category.COLOUR, CaptionParser.parse("a red circle"));
        Caption two = Caption.of(Category.NUMERACY, CaptionParser.parse("two red circles"));
        Caption three = Caption.of(Category.SPATIAL, CaptionParser.parse("two stars left of a circle"));
        Verdict pass = new Verdict(List.of(new Check(CheckKind.COUNT, "", true)), List.of());
        Verdict fail = new Verdict(List.of(new Check(CheckKind.COUNT, "", false)), List.of());
        OracleReport report = OracleReport.of(List.of(one, two, two, three, two),
                List.of(pass, pass, fail, fail, fail));
        assertEquals(1.0, report.accuracyByObjects(1), 1e-12);
        assertEquals(1.0 / 3, report.accuracyByObjects(2), 1e-12);
        assertEquals(0.0, report.accuracyByObjects(3), 1e-12);
        assertTrue(Double.isNaN(report.accuracyByObjects(4)));
        assertEquals(List.of(1, 2, 3), List.copyOf(report.byObjects().keySet()));
        assertTrue(report.toMarkdown().contains("| 2 | 3 | 0.3333 |"), report.toMarkdown());
    }

    private static OracleReport evaluate(List<Caption> captions, UnaryOperator<BufferedImage> degrade) {
        return Oracle.evaluate(captions, c -> degrade.apply(
                SceneRenderer.render(SceneSampler.sample(c.requirements(), c.text().hashCode()))));
    }

    /** Every k-th caption of each category. */
    private static List<Caption> subsample(List<Caption> captions, int k) {
        List<Caption> kept = new ArrayList<>();
        for (int i = 0; i < captions.size(); i += k) {
            kept.add(captions.get(i));
        }
        return kept;
    }
}
