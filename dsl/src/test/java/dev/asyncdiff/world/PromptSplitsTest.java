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

    private static List<String> texts(List<Caption> captions) {
        return captions.stream().map(Caption::text).toList();
    }
}
