package dev.asyncdiff.world;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sampled scenes satisfy their captions by construction, checked on the scene's geometry, not by the oracle. */
class SceneSamplerTest {
    private static List<Caption> captions;

    @BeforeAll
    static void captions() {
        PromptSplits splits = PromptSplits.generate(7);
        captions = new java.util.ArrayList<>(splits.get(Split.VAL));
        captions.addAll(splits.get(Split.VAL_UNSEEN));
    }

    @Test
    void scenesHoldExactlyTheCaptionsObjectsGroupByGroup() {
        for (int i = 0; i < captions.size(); i++) {
            Caption c = captions.get(i);
            Scene scene = SceneSampler.sample(c.requirements(), i);
            assertEquals(c.requirements().objectCount(), scene.objects().size(), c.text());
            int k = 0;
            for (ObjectGroup g : c.requirements().groups()) {
                for (int m = 0; m < g.count(); m++, k++) {
                    SceneObject o = scene.objects().get(k);
                    assertEquals(g.shape(), o.shape(), c.text());
                    g.colour().ifPresent(colour -> assertEquals(colour, o.colour(), c.text()));
                    g.texture().ifPresent(texture -> assertEquals(texture, o.texture(), c.text()));
                    g.size().ifPresent(size -> assertTrue(o.extent() >= size.minExtent()
                            && o.extent() <= size.maxExtent(), c.text() + ": extent " + o.extent()));
                }
            }
        }
    }

    @Test
    void objectsLieInsideTheImageAndAtLeastFourPixelsApart() {
        for (int i = 0; i < captions.size(); i++) {
            Scene scene = SceneSampler.sample(captions.get(i).requirements(), i);
            List<SceneObject> objects = scene.objects();
            for (int a = 0; a < objects.size(); a++) {
                Rectangle2D box = objects.get(a).bounds();
                assertTrue(box.getMinX() >= 2 && box.getMinY() >= 2 && box.getMaxX() <= 62 && box.getMaxY() <= 62,
                        captions.get(i).text() + ": " + box);
                for (int b = a + 1; b < objects.size(); b++) {
                    Rectangle2D other = objects.get(b).bounds();
                    double gapX = Math.max(other.getMinX() - box.getMaxX(), box.getMinX() - other.getMaxX());
                    double gapY = Math.max(other.getMinY() - box.getMaxY(), box.getMinY() - other.getMaxY());
                    assertTrue(Math.max(gapX, gapY) >= 4 - 1e-9, captions.get(i).text() + ": objects " + a + ", " + b);
                }
            }
        }
    }

    @Test
    void statedRelationsHoldBetweenGroupCentroidsWithRoomToSpare() {
        int related = 0;
        for (int i = 0; i < captions.size(); i++) {
            Requirements r = captions.get(i).requirements();
            if (r.relation().isEmpty()) {
                continue;
            }
            related++;
            List<SceneObject> objects = SceneSampler.sample(r, i).objects();
            int n = r.groups().get(0).count();
            double sx = objects.subList(0, n).stream().mapToDouble(SceneObject::x).average().orElseThrow();
            double sy = objects.subList(0, n).stream().mapToDouble(SceneObject::y).average().orElseThrow();
            double ox = objects.subList(n, objects.size()).stream().mapToDouble(SceneObject::x).average().orElseThrow();
            double oy = objects.subList(n, objects.size()).stream().mapToDouble(SceneObject::y).average().orElseThrow();
            // offset from subject to object along the relation's axis (image y grows downwards), and across it
            double along = switch (r.relation().get()) {
                case LEFT_OF -> ox - sx;
                case RIGHT_OF -> sx - ox;
                case ABOVE -> oy - sy;
                case BELOW -> sy - oy;
            };
            double across = r.relation().get().horizontal() ? Math.abs(oy - sy) : Math.abs(ox - sx);
            assertTrue(along > 4 && along - 4 >= across, captions.get(i).text() + ": along " + along + ", across "
                    + across);
        }
        assertTrue(related > 300, "too few relations to test: " + related);
    }

    @Test
    void theSameSeedGivesTheSameSceneAndAnotherSeedAnother() {
        Requirements r = CaptionParser.parse("two striped red squares above a dotted blue circle");
        assertEquals(SceneSampler.sample(r, 5), SceneSampler.sample(r, 5));
        assertNotEquals(SceneSampler.sample(r, 5), SceneSampler.sample(r, 6));
    }

    @Test
    void unstatedAttributesVary() {
        Requirements r = CaptionParser.parse("a circle");
        java.util.Set<Colour> colours = java.util.EnumSet.noneOf(Colour.class);
        java.util.Set<Texture> textures = java.util.EnumSet.noneOf(Texture.class);
        java.util.Set<Size> sizes = java.util.EnumSet.noneOf(Size.class);
        for (long seed = 0; seed < 200; seed++) {
            SceneObject o = SceneSampler.sample(r, seed).objects().get(0);
            colours.add(o.colour());
            textures.add(o.texture());
            sizes.add(o.size());
        }
        assertEquals(Colour.values().length, colours.size());
        assertEquals(Texture.values().length, textures.size());
        assertEquals(Size.values().length, sizes.size());
    }

    @Test
    void threeOfFourObjectsOfUnstatedTextureArePlainAndTheRestSplitEvenlyOverThePatterns() {
        int n = 6000;
        java.util.Map<Texture, Integer> counts = textureCounts("a circle", n, SceneSampler.UNSTATED_PLAIN);
        // Binomial standard deviations: √(n·p·(1−p)) ≈ 34 for p = 0.75 and ≈ 28 for p = 0.0833; allow 4 of them.
        assertEquals(0.75 * n, counts.get(Texture.PLAIN), 4 * 34);
        for (Texture t : List.of(Texture.STRIPED, Texture.DOTTED, Texture.CHECKERED)) {
            assertEquals(n / 12.0, counts.get(t), 4 * 28, t.word());
        }
    }

    @Test
    void aPlainShareOfAQuarterDrawsTexturesUniformly() {
        int n = 6000;
        java.util.Map<Texture, Integer> counts = textureCounts("a circle", n, 0.25);
        for (Texture t : Texture.values()) {
            assertEquals(n / 4.0, counts.get(t), 4 * 34, t.word()); // √(6000·¼·¾) ≈ 34
        }
    }

    @Test
    void aStatedTextureIsKeptWhateverThePlainShare() {
        java.util.Map<Texture, Integer> counts = textureCounts("a striped circle", 200, 1.0);
        assertEquals(200, counts.get(Texture.STRIPED));
    }

    @Test
    void aPlainShareOutsideTheUnitIntervalIsRefused() {
        Requirements r = CaptionParser.parse("a circle");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SceneSampler.sample(r, new java.util.Random(1), 1.5));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    private static java.util.Map<Texture, Integer> textureCounts(String caption, int n, double plain) {
        Requirements r = CaptionParser.parse(caption);
        java.util.Random rng = new java.util.Random(5);
        java.util.Map<Texture, Integer> counts = new java.util.EnumMap<>(Texture.class);
        for (Texture t : Texture.values()) {
            counts.put(t, 0);
        }
        for (int i = 0; i < n; i++) {
            counts.merge(SceneSampler.sample(r, rng, plain).objects().get(0).texture(), 1, Integer::sum);
        }
        return counts;
    }
}
