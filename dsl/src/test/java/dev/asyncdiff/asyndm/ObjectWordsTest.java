package dev.asyncdiff.asyndm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectWordsTest {
    private static List<String> words(String prompt) {
        return List.of(prompt.split(" "));
    }

    @Test
    void eachOccurrenceOfAShapeNounIsOneObject() {
        assertEquals(List.of(2, 6), ObjectWords.tokens(words("a red circle and a blue circle"), ObjectWords.WORLD,
                false));
        assertEquals(List.of(2), ObjectWords.tokens(words("two striped stars"), ObjectWords.WORLD, false));
    }

    @Test
    void theWorldsRuleTakesEachObjectsColourWordElseAnAttributeElseTheNoun() {
        // colours: one object each, even when the nouns repeat
        assertEquals(List.of(1, 5), ObjectWords.world(words("a red circle and a blue circle")));
        // no colour: the last size or texture word of the phrase, else the noun; a relation word is not an attribute
        assertEquals(List.of(2, 6), ObjectWords.world(words("two small plain triangles above a blue star")));
        assertEquals(List.of(1, 4), ObjectWords.world(words("a diamond above a circle")));
        // the phrase of an object starts after the previous noun: the first object's colour is not the second's
        assertEquals(List.of(1, 5), ObjectWords.world(words("a red star and a cross")));
        assertEquals(List.of(3, 8), ObjectWords.world(words("a large striped red square left of two green stars")));
    }

    @Test
    void explicitWordsMustBeInThePrompt() {
        assertEquals(List.of(1), ObjectWords.tokens(words("a dog on a sofa"), Set.of("dog"), true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectWords.tokens(words("a dog on a sofa"), Set.of("dog", "cat"), true));
        assertTrue(e.getMessage().contains("'cat' is not in the prompt"), e.getMessage());
    }

    @Test
    void aPromptWithoutObjectsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectWords.tokens(words("a red thing"), ObjectWords.WORLD, false));
        assertTrue(e.getMessage().contains("names no object"), e.getMessage());
    }
}
