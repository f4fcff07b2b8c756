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
