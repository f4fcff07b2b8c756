package dev.asyncdiff.model.tokenize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A folder laid out as bert-base-uncased publishes its tokenizer (tokenizer.json with a WordPiece model, BERT's
 * normaliser and a [CLS] … [SEP] template; a tokenizer_config.json naming no pad token), on a tiny vocabulary whose
 * ids are worked out by hand: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then a 5, red 6, cab 7, bed 8, blue 9, on 10,
 * the 11, ##s 12, "," 13, "!" 14, cat 15, dog 16, ##gy 17, sky 18, "." 19. The pad token is the one transformers'
 * BertTokenizer defaults to when the caller says so.
 */
class BertTokenizerFolderTest {
    @Test
    void lowerCasesSplitsPunctuationAndWordPiecesThenPadsWithBertsDefaultPad() throws Exception {
        try (PromptTokenizer t = PromptTokenizer.open(PromptTokenizerTest.fixture("tiny-wordpiece"), 14, "[PAD]")) {
            PromptTokenizer.Tokens tokens = t.encode(List.of("A RED cab on the bed!", "blue dogs, doggy sky."));
            assertArrayEquals(new long[] {2, 5, 6, 7, 10, 11, 8, 14, 3, 0, 0, 0, 0, 0}, tokens.ids()[0]);
            assertArrayEquals(new long[] {2, 9, 16, 12, 13, 16, 17, 18, 19, 3, 0, 0, 0, 0}, tokens.ids()[1]);
            assertArrayEquals(new int[] {9, 10}, tokens.lengths());
            assertEquals(0, t.padId());
        }
    }

    @Test
    void truncationKeepsClsAndSep() throws Exception {
        try (PromptTokenizer t = PromptTokenizer.open(PromptTokenizerTest.fixture("tiny-wordpiece"), 5, "[PAD]")) {
            assertArrayEquals(new long[] {2, 5, 6, 7, 3}, t.encode(List.of("a red cab on the bed")).ids()[0]);
        }
    }

    @Test
    void aPadTokenTheConfigNamesWinsOverTheDefault(@TempDir Path dir) throws Exception {
        Files.copy(PromptTokenizerTest.fixture("tiny-wordpiece").resolve("tokenizer.json"),
                dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"[MASK]\"}");
        try (PromptTokenizer t = PromptTokenizer.open(dir, 8, "[PAD]")) {
            assertEquals(4, t.padId());
        }
    }

    @Test
    void withoutADefaultTheFolderMustNameItsPadToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTokenizer.open(PromptTokenizerTest.fixture("tiny-wordpiece"), 8));
        assertTrue(e.getMessage().contains("names a \"pad_token\""), e.getMessage());
    }
}
