package dev.asyncdiff.world;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {

    @Test
    void holdsEveryWordTheIssueAsksForOnce() {
        List<String> words = Vocabulary.words();
        assertEquals(words.size(), new HashSet<>(words).size(), "duplicate words in " + words);
        for (String w : List.of("red", "orange", "yellow", "green", "blue", "purple", "white", "black",
                "circle", "square", "triangle", "star", "cross", "diamond", "circles", "crosses",
                "plain", "striped", "dotted", "checkered", "small", "large",
                "left", "right", "of", "above", "below", "two", "three", "four", "a", "an", "and")) {
            assertTrue(Vocabulary.contains(w), w);
        }
        assertEquals(8 + 6 * 2 + 4 + 2 + 5 + 5 + 1, Vocabulary.size()); // colours, nouns, textures, sizes, relation words, counts, "and"
    }

    @Test
    void encodesWordsAsTheirPositionInTheWordList() {
        int[] ids = Vocabulary.encode("A red circle, left of two Stars.");
        List<String> words = Vocabulary.words();
        assertArrayEquals(new int[] {words.indexOf("a"), words.indexOf("red"), words.indexOf("circle"),
                words.indexOf("left"), words.indexOf("of"), words.indexOf("two"), words.indexOf("stars")}, ids);
    }

    @Test
    void listsUnknownWordsOnceInOrderOfAppearance() {
        assertEquals(List.of("crimson", "blob", "near"), Vocabulary.unknownWords("a crimson blob near a crimson circle"));
        assertEquals(List.of(), Vocabulary.unknownWords("a red circle"));
    }

    @Test
    void refusesToEncodeUnknownWordsAndNamesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.encode("a teal hexagon"));
        assertTrue(e.getMessage().contains("[teal, hexagon]"), e.getMessage());
    }
}
