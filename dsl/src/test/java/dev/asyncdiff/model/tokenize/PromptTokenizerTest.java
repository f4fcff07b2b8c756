package dev.asyncdiff.model.tokenize;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokenizer folders read offline through DJL's Hugging Face binding, on two tiny vocabularies whose ids are worked
 * out by hand: a CLIP-style byte-level BPE (lower-casing, end-of-word marks, start and end tokens, padded with the end
 * token), given as tokenizer.json or as vocab.json and merges.txt, and a T5-style Unigram (Metaspace, a closing
 * {@code </s>}, padded with {@code <pad>} = 0).
 */
class PromptTokenizerTest {
    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PromptTokenizerTest.class.getResource("/tokenizers/" + name).toURI());
    }

    /** The padded ids of one prompt through a fixture's tokenizer at this maximum length. */
    static long[] ids(String fixture, int maxLength, String prompt) throws URISyntaxException {
        try (PromptTokenizer t = PromptTokenizer.open(fixture(fixture), maxLength)) {
            return t.encode(List.of(prompt)).ids()[0];
        }
    }

    @Nested
    class ClipStyleBpe {
        @Test
        void mergesWordsInRankOrderAndPadsWithTheEndToken() throws Exception {
            try (PromptTokenizer t = PromptTokenizer.open(fixture("tiny-bpe"), 10)) {
                PromptTokenizer.Tokens tokens = t.encode(List.of("RED  cab bed"));
                // red → r e d</w> → re d</w> → red</w> (15); cab → c a b</w> → ca b</w> → cab</w> (17);
                // bed has no merge: b (2) e (5) d</w> (11); start 18, end 19, then the pad token <|endoftext|> = 19.
                assertArrayEquals(new long[] {18, 15, 17, 2, 5, 11, 19, 19, 19, 19}, tokens.ids()[0]);
                assertEquals(7, tokens.lengths()[0]);
            }
        }

        @Test
        void truncationKeepsTheStartAndEndTokens() throws Exception {
            assertArrayEquals(new long[] {18, 15, 17, 19}, ids("tiny-bpe", 4, "red cab bed"));
        }

        @Test
        void aPadTokenIsLookedUpInTheVocabularyNotEncoded(@TempDir Path dir) throws Exception {
            // OpenCLIP-bigG's tokenizer pads with "!": id 0, where encoding "!" as a word would give "!</w>" = 7.
            Files.copy(fixture("tiny-bpe").resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
            Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": {\"content\": \"!\"}}");
            try (PromptTokenizer t = PromptTokenizer.open(dir, 8)) {
                assertEquals(0, t.padId());
                assertArrayEquals(new long[] {18, 17, 19, 0, 0, 0, 0, 0}, t.encode(List.of("cab")).ids()[0]);
            }
        }
    }

    @Nested
    class ClipVocabularyAndMergesFiles {
        @Test
        void giveTheIdsOfTheEquivalentTokenizerJson() throws Exception {
            List<String> prompts = List.of("RED  cab bed", "a cab, a bed!", "Bread 42 it's red");
            try (PromptTokenizer files = PromptTokenizer.open(fixture("tiny-bpe-files"), 12);
                 PromptTokenizer json = PromptTokenizer.open(fixture("tiny-bpe"), 12)) {
                PromptTokenizer.Tokens fromFiles = files.encode(prompts);
                assertArrayEquals(new long[] {18, 15, 17, 2, 5, 11, 19, 19, 19, 19, 19, 19}, fromFiles.ids()[0]);
                for (int i = 0; i < prompts.size(); i++) {
                    assertArrayEquals(json.encode(prompts).ids()[i], fromFiles.ids()[i], prompts.get(i));
                }
            }
        }
    }

    @Nested
    class T5StyleUnigram {
        @Test
        void takesTheMostLikelySegmentationAndPadsWithPad() throws Exception {
            try (PromptTokenizer t = PromptTokenizer.open(fixture("tiny-unigram"), 8)) {
                // ▁abc: ▁ab + c scores −7, better than ▁abc (−9), ▁a b c (−9) and ▁ a b c (−10.5) → 6, 8;
                // ▁ca: only ▁ c a (−7.5) → 3, 8, 7; then </s> = 1 and <pad> = 0.
                PromptTokenizer.Tokens tokens = t.encode(List.of("abc ca"));
                assertArrayEquals(new long[] {6, 8, 3, 8, 7, 1, 0, 0}, tokens.ids()[0]);
                assertEquals(6, tokens.lengths()[0]);
            }
        }

        @Test
        void truncationKeepsTheClosingToken() throws Exception {
            assertArrayEquals(new long[] {6, 8, 3, 1}, ids("tiny-unigram", 4, "abc ca"));
        }
    }

    @Nested
    class BadFolders {
        @Test
        void aFolderWithoutTokenizerFilesIsRefusedNamingThem(@TempDir Path dir) throws Exception {
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"<pad>\"}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PromptTokenizer.open(dir, 77));
            assertTrue(e.getMessage().contains("has neither tokenizer.json nor a CLIP tokenizer's vocab.json and "
                    + "merges.txt"), e.getMessage());
        }

        @Test
        void aTokenizerWhoseConfigNamesNoPadTokenIsRefused(@TempDir Path dir) throws Exception {
            Files.copy(fixture("tiny-unigram").resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
            Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PromptTokenizer.open(dir, 77));
            assertTrue(e.getMessage().contains("names a \"pad_token\""), e.getMessage());
        }
    }
}
