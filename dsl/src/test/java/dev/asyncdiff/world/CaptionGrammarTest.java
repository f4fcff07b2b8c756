package dev.asyncdiff.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionGrammarTest {
    private static final int DRAWS = 2000;

    @ParameterizedTest
    @EnumSource(Category.class)
    void everyCaptionNamesEachShapeOnceAndFitsTheWorld(Category category) {
        for (Caption c : draw(category, 1)) {
            Requirements r = c.requirements();
            assertEquals(r.groups().size(), r.groups().stream().map(ObjectGroup::shape).distinct().count(), c.text());
            assertTrue(r.objectCount() <= Requirements.MAX_OBJECTS, c.text());
            assertEquals(category, c.category());
        }
    }

    @Test
    void colourCaptionsStateOnlyDistinctColoursOfSingleObjects() {
        for (Caption c : draw(Category.COLOUR, 2)) {
            List<ObjectGroup> groups = c.requirements().groups();
            assertTrue(groups.stream().allMatch(g -> g.count() == 1 && g.colour().isPresent()
                    && g.texture().isEmpty() && g.size().isEmpty()), c.text());
            assertEquals(groups.size(), groups.stream().map(ObjectGroup::colour).distinct().count(), c.text());
        }
    }

    @Test
    void shapeCaptionsStateShapesAndAtMostSizes() {
        for (Caption c : draw(Category.SHAPE, 3)) {
            assertTrue(c.requirements().groups().stream().allMatch(g -> g.count() == 1 && g.colour().isEmpty()
                    && g.texture().isEmpty()), c.text());
        }
    }

    @Test
    void textureCaptionsStateATextureForEveryObject() {
        for (Caption c : draw(Category.TEXTURE, 4)) {
            assertTrue(c.requirements().groups().stream().allMatch(g -> g.texture().isPresent()), c.text());
        }
    }

    @Test
    void spatialCaptionsRelateTwoSingleObjects() {
        for (Caption c : draw(Category.SPATIAL, 5)) {
            Requirements r = c.requirements();
            assertTrue(r.relation().isPresent(), c.text());
            assertTrue(r.groups().stream().allMatch(g -> g.count() == 1), c.text());
            assertTrue(c.text().contains(" " + r.relation().get().phrase() + " "), c.text());
        }
    }

    @Test
    void numeracyCaptionsCountSomeShapeAboveOne() {
        for (Caption c : draw(Category.NUMERACY, 6)) {
            assertTrue(c.requirements().groups().stream().anyMatch(g -> g.count() > 1), c.text());
            assertTrue(c.requirements().relation().isEmpty(), c.text());
        }
    }

    @Test
    void complexCaptionsBindAtLeastTwoAttributesToEachOfTwoGroups() {
        int related = 0;
        for (Caption c : draw(Category.COMPLEX, 7)) {
            assertEquals(2, c.requirements().groups().size(), c.text());
            for (ObjectGroup g : c.requirements().groups()) {
                int stated = (g.colour().isPresent() ? 1 : 0) + (g.texture().isPresent() ? 1 : 0)
                        + (g.size().isPresent() ? 1 : 0);
                assertTrue(stated >= 2, c.text());
            }
            related += c.requirements().relation().isPresent() ? 1 : 0;
        }
        assertEquals(0.6, related / (double) DRAWS, 0.05, "share of complex captions with a relation");
    }

    @Test
    void theSameSeedDrawsTheSameCaptionsAndAnotherSeedOthers() {
        for (Category c : Category.values()) {
            assertEquals(texts(draw(c, 11)), texts(draw(c, 11)));
            assertTrue(!texts(draw(c, 11)).equals(texts(draw(c, 12))));
        }
    }

    private static List<Caption> draw(Category category, long seed) {
        Random rng = new Random(seed);
        List<Caption> captions = new ArrayList<>();
        for (int i = 0; i < DRAWS; i++) {
            captions.add(CaptionGrammar.sample(category, rng));
        }
        return captions;
    }

    private static List<String> texts(List<Caption> captions) {
        return captions.stream().map(Caption::text).toList();
    }
}
