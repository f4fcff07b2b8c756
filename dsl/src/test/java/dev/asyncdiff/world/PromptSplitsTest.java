package dev.asyncdiff.world;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptSplitsTest {
    /** The held-out bindings, written out independently of {@link UnseenCombinations}. */
    private static final Set<String> HELD_OUT = Set.of(
            "red star", "orange square", "yellow circle", "green diamond", "blue cross", "purple triangle",
            "white triangle", "black circle",
            "plain cross", "striped star", "dotted triangle", "checkered circle",
            "small cross", "large diamond");

    private static PromptSplits splits;

    @BeforeAll
    static void generate() {
        splits = PromptSplits.generate(42);
    }

    @Test
    void everyCategoryHasSevenHundredTrainThreeHundredValAndThreeHundredUnseenCaptions() {
        for (Category c : Category.values()) {
            assertEquals(700, splits.get(Split.TRAIN, c).size(), c.label());
            assertEquals(300, splits.get(Split.VAL, c).size(), c.label());
            assertEquals(300, splits.get(Split.VAL_UNSEEN, c).size(), c.label());
            for (Split s : Split.values()) {
                assertTrue(splits.get(s, c).stream().allMatch(caption -> caption.category() == c));
            }
        }
    }

    @Test
    void valHasTrainsMixOfObjectCountsInEveryCategory() {
        for (Category c : Category.values()) {
            java.util.Map<Integer, Integer> train = objectCounts(splits.get(Split.TRAIN, c));
            java.util.Map<Integer, Integer> val = objectCounts(splits.get(Split.VAL, c));
            java.util.Set<Integer> counts = new java.util.TreeSet<>(train.keySet());
            counts.addAll(val.keySet());
            for (int n : counts) {
                int total = train.getOrDefault(n, 0) + val.getOrDefault(n, 0);
                double expected = (double) PromptSplits.VAL_SIZE * total
                        / (PromptSplits.TRAIN_SIZE + PromptSplits.VAL_SIZE);
                // largest-remainder rounding moves a stratum's share by less than one caption
                assertEquals(expected, val.getOrDefault(n, 0), 1.0, c.label() + ", " + n + " objects");
            }
        }
    }

    @Test
    void valHoldsOneObjectCaptionsWhereTheCategoryHasThem() {
        for (Category c : Category.values()) {
            boolean inTrain = splits.get(Split.TRAIN, c).stream().anyMatch(x -> x.requirements().objectCount() == 1);
            boolean inVal = splits.get(Split.VAL, c).stream().anyMatch(x -> x.requirements().objectCount() == 1);
            if (inTrain) {
                assertTrue(inVal, c.label());
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitsAndAnotherSeedOthers() {
        PromptSplits again = PromptSplits.generate(42);
        PromptSplits other = PromptSplits.generate(43);
        for (Split s : Split.values()) {
            assertEquals(texts(splits.get(s)), texts(again.get(s)));
            assertNotEquals(texts(splits.get(s)), texts(other.get(s)));
        }
    }

    @Test
    void splitsShareNoCaption() {
        Set<String> seen = new HashSet<>();
        for (Split s : Split.values()) {
            for (String t : texts(splits.get(s))) {
                assertTrue(seen.add(t), "'" + t + "' appears twice");
            }
        }
    }

    @Test
    void heldOutBindingsNeverAppearInTrainOrValAndEveryUnseenCaptionHasOne() {
        for (String t : texts(splits.get(Split.TRAIN))) {
            assertFalse(bindsHeldOutPair(t), t);
        }
        for (String t : texts(splits.get(Split.VAL))) {
            assertFalse(bindsHeldOutPair(t), t);
        }
        for (String t : texts(splits.get(Split.VAL_UNSEEN))) {
            assertTrue(bindsHeldOutPair(t), t);
        }
    }

    @Test
    void trainCaptionsStillShowEveryColourTextureAndSizeWithOtherShapes() {
        Set<String> words = new HashSet<>();
        for (String t : texts(splits.get(Split.TRAIN))) {
            words.addAll(List.of(t.split(" ")));
        }
        for (Colour c : Colour.values()) {
            assertTrue(words.contains(c.word()), c.word());
        }
        for (Texture x : Texture.values()) {
            assertTrue(words.contains(x.word()), x.word());
        }
        for (Size s : Size.values()) {
            assertTrue(words.contains(s.word()), s.word());
        }
    }

    /** Whether a caption puts a held-out attribute word directly or through other adjectives before its noun. */
    private static boolean bindsHeldOutPair(String text) {
        for (String phrase : text.split(" and | left of | right of | above | below ")) {
            String[] words = phrase.split(" ");
            String noun = singular(words[words.length - 1]);
            for (int i = 1; i < words.length - 1; i++) {
                if (HELD_OUT.contains(words[i] + " " + noun)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String singular(String noun) {
        for (Shape s : Shape.values()) {
            if (noun.equals(s.plural())) {
                return s.singular();
            }
        }
        return noun;
    }

    private static java.util.Map<Integer, Integer> objectCounts(List<Caption> captions) {
        java.util.Map<Integer, Integer> out = new java.util.TreeMap<>();
        captions.forEach(x -> out.merge(x.requirements().objectCount(), 1, Integer::sum));
        return out;
    }

    private static List<String> texts(List<Caption> captions) {
        return captions.stream().map(Caption::text).toList();
    }
}
