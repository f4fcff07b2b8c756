package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every word a caption may use, in a fixed order that a text encoder can take as token ids: count words, the
 * conjunction, sizes, textures, colours, singular then plural shape nouns, then the relation words.
 */
public final class Vocabulary {
    private static final List<String> WORDS = buildWords();
    private static final Map<String, Integer> INDEX = indexWords();

    private Vocabulary() {
    }

    /** All words, in token-id order. */
    public static List<String> words() {
        return WORDS;
    }

    /** The number of words. */
    public static int size() {
        return WORDS.size();
    }

    /** The token id of a known word; throws for an unknown one. */
    public static int indexOf(String word) {
        Integer i = INDEX.get(word);
        if (i == null) {
            throw new IllegalArgumentException("'" + word + "' is not in the vocabulary; known words are " + WORDS);
        }
        return i;
    }

    /** Whether {@code word} (lower case) is in the vocabulary. */
    public static boolean contains(String word) {
        return INDEX.containsKey(word);
    }

    /** A prompt's words: lower-cased, split at spaces, commas and full stops. */
    public static List<String> tokens(String prompt) {
        return Arrays.stream(prompt.toLowerCase(Locale.ROOT).split("[\\s,.]+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /** The distinct words of a prompt that are not in the vocabulary, in order of first appearance. */
    public static List<String> unknownWords(String prompt) {
        return List.copyOf(tokens(prompt).stream()
                .filter(w -> !contains(w))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The token ids of a prompt's words; throws listing the unknown words if there are any. */
    public static int[] encode(String prompt) {
        List<String> unknown = unknownWords(prompt);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknownWordsMessage(prompt, unknown));
        }
        return tokens(prompt).stream().mapToInt(INDEX::get).toArray();
    }

    static String unknownWordsMessage(String prompt, List<String> unknown) {
        return "unknown words " + unknown + " in prompt '" + prompt + "'; use only the world's words: " + WORDS;
    }

    private static List<String> buildWords() {
        List<String> words = new ArrayList<>(CaptionWriter.countWords());
        words.add("and");
        Arrays.stream(Size.values()).map(Size::word).forEach(words::add);
        Arrays.stream(Texture.values()).map(Texture::word).forEach(words::add);
        Arrays.stream(Colour.values()).map(Colour::word).forEach(words::add);
        Arrays.stream(Shape.values()).map(Shape::singular).forEach(words::add);
        Arrays.stream(Shape.values()).map(Shape::plural).forEach(words::add);
        Arrays.stream(Relation.values()).flatMap(r -> r.words().stream()).distinct().forEach(words::add);
        return List.copyOf(words);
    }

    private static Map<String, Integer> indexWords() {
        return WORDS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), WORDS::indexOf));
    }
}
