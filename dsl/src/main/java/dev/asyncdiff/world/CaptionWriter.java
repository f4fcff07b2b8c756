package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes requirements as canonical caption text: each group as "count size texture colour noun", groups joined
 * by "and" or by the relation's phrase. {@link CaptionParser} reads every such text back to equal requirements.
 */
public final class CaptionWriter {
    private static final List<String> COUNT_WORDS = List.of("two", "three", "four");

    private CaptionWriter() {
    }

    public static String write(Requirements requirements) {
        List<String> phrases = requirements.groups().stream().map(CaptionWriter::phrase).toList();
        String joiner = requirements.relation().map(r -> " " + r.phrase() + " ").orElse(" and ");
        return String.join(joiner, phrases);
    }

    /** One group as a noun phrase, e.g. "two large striped red squares" or "an orange circle". */
    public static String phrase(ObjectGroup g) {
        List<String> adjectives = new ArrayList<>();
        g.size().ifPresent(s -> adjectives.add(s.word()));
        g.texture().ifPresent(t -> adjectives.add(t.word()));
        g.colour().ifPresent(c -> adjectives.add(c.word()));
        adjectives.add(g.shape().noun(g.count()));
        String rest = String.join(" ", adjectives);
        return countWord(g.count(), rest) + " " + rest;
    }

    /** The word for a count: "a" or "an" (by the next word's first letter) for one, else "two" … "four". */
    static String countWord(int count, String following) {
        if (count == 1) {
            return "aeiou".indexOf(following.charAt(0)) >= 0 ? "an" : "a";
        }
        return COUNT_WORDS.get(count - 2);
    }

    /** The count a count word names, or 0 when the word is not one. */
    static int countOf(String word) {
        if (word.equals("a") || word.equals("an")) {
            return 1;
        }
        int i = COUNT_WORDS.indexOf(word);
        return i < 0 ? 0 : i + 2;
    }

    /** The count words in order: "a", "an", "two", "three", "four". */
    static List<String> countWords() {
        List<String> words = new ArrayList<>(List.of("a", "an"));
        words.addAll(COUNT_WORDS);
        return words;
    }
}
