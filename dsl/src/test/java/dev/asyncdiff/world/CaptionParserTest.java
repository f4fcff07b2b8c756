package dev.asyncdiff.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionParserTest {

    @Test
    void aMinimalPromptNamesOneObjectWithOneAttribute() {
        assertEquals(Requirements.of(ObjectGroup.of(Shape.CIRCLE).withColour(Colour.RED)),
                CaptionParser.parse("a red circle"));
    }

    @Test
    void aComplexPromptKeepsCountsAttributesAndTheRelation() {
        Requirements expected = new Requirements(List.of(
                new ObjectGroup(2, Shape.SQUARE, Optional.of(Colour.RED), Optional.of(Texture.STRIPED), Optional.empty()),
                new ObjectGroup(1, Shape.CIRCLE, Optional.of(Colour.BLUE), Optional.of(Texture.DOTTED), Optional.empty())),
                Optional.of(Relation.ABOVE));
        assertEquals(expected, CaptionParser.parse("two striped red squares above a dotted blue circle"));
    }

    @Test
    void adjectivesMayComeInAnyOrderAndCaseAndArticleDoNotMatter() {
        assertEquals(CaptionParser.parse("a large checkered orange star"),
                CaptionParser.parse("An Orange checkered LARGE star"));
    }

    @Test
    void readsBackEveryCaptionTheWriterWrites() {
        PromptSplits splits = PromptSplits.generate(3);
        for (Split s : Split.values()) {
            for (Caption c : splits.get(s)) {
                assertEquals(c.requirements(), CaptionParser.parse(c.text()), c.text());
                assertEquals(c.text(), CaptionWriter.write(CaptionParser.parse(c.text())));
            }
        }
    }

    @Test
    void unknownWordsAreAllListedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaptionParser.parse("a crimson circle next to a pentagon"));
        assertTrue(e.getMessage().contains("[crimson, next, to, pentagon]"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " , . "})
    void anEmptyPromptIsRefusedWithAnExample(String prompt) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptionParser.parse(prompt));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("a red circle"), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "two circle | plural noun",
            "a circles | singular noun",
            "red circle | count word",
            "a red | ends where",
            "a red blue circle | one colour",
            "a small large circle | one size",
            "a circle and | ends where",
            "a circle left a star | expected 'and'",
            "a circle above a star and a cross | expected 'and'",
            "three circles and two stars | at most 4",
            "three circles left of a star | at most 2",
            "a circle a star | expected 'and'",
    })
    void ungrammaticalPromptsAreRefusedWithTheReason(String prompt, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptionParser.parse(prompt));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
