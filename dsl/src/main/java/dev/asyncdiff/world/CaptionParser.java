package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a caption back into {@link Requirements}. The grammar:
 * <pre>
 * caption  := group ("and" group)* | group relation group
 * group    := count adjective* noun          (each of size, texture, colour at most once, in any order)
 * count    := "a" | "an" | "two" | "three" | "four"
 * relation := "left of" | "right of" | "above" | "below"
 * </pre>
 * The noun is singular after "a"/"an" and plural after a number. Every text {@link CaptionWriter} writes parses
 * back to the requirements it was written from.
 */
public final class CaptionParser {
    private final String prompt;
    private final List<String> tokens;
    private int next;

    private CaptionParser(String prompt, List<String> tokens) {
        this.prompt = prompt;
        this.tokens = tokens;
    }

    /**
     * The requirements a caption states.
     *
     * @throws IllegalArgumentException for an empty prompt, one with words outside {@link Vocabulary} (all of them
     *                                  are listed), or one that does not follow the grammar
     */
    public static Requirements parse(String prompt) {
        if (prompt == null || Vocabulary.tokens(prompt).isEmpty()) {
            throw new IllegalArgumentException("the prompt is empty; write a caption such as 'a red circle'");
        }
        List<String> unknown = Vocabulary.unknownWords(prompt);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(Vocabulary.unknownWordsMessage(prompt, unknown));
        }
        return new CaptionParser(prompt, Vocabulary.tokens(prompt)).caption();
    }

    private Requirements caption() {
        List<ObjectGroup> groups = new ArrayList<>();
        groups.add(group());
        Optional<Relation> relation = relationAhead();
        if (relation.isPresent()) {
            next += relation.get().words().size();
            groups.add(group());
        } else {
            while (peek().filter("and"::equals).isPresent()) {
                next++;
                groups.add(group());
            }
        }
        if (next < tokens.size()) {
            throw error("expected 'and', a relation (left of, right of, above, below) or the end after an object"
                    + " phrase, but found '" + tokens.get(next) + "'");
        }
        return new Requirements(groups, relation);
    }

    private ObjectGroup group() {
        String countWord = take("a count word (a, an, two, three, four)");
        int count = CaptionWriter.countOf(countWord);
        if (count == 0) {
            throw error("expected a count word (a, an, two, three, four) but found '" + countWord + "'");
        }
        Optional<Size> size = Optional.empty();
        Optional<Texture> texture = Optional.empty();
        Optional<Colour> colour = Optional.empty();
        while (true) {
            String word = take("a shape noun");
            Optional<Size> s = Size.fromWord(word);
            Optional<Texture> t = Texture.fromWord(word);
            Optional<Colour> c = Colour.fromWord(word);
            if (s.isPresent()) {
                size = once(size, s, "size");
            } else if (t.isPresent()) {
                texture = once(texture, t, "texture");
            } else if (c.isPresent()) {
                colour = once(colour, c, "colour");
            } else {
                return new ObjectGroup(count, noun(word, count, countWord), colour, texture, size);
            }
        }
    }

    private Shape noun(String word, int count, String countWord) {
        Optional<Shape> singular = Shape.fromSingular(word);
        Optional<Shape> plural = Shape.fromPlural(word);
        if (singular.isEmpty() && plural.isEmpty()) {
            throw error("expected a size, texture, colour or shape noun but found '" + word + "'");
        }
        if (count == 1 && plural.isPresent()) {
            throw error("'" + countWord + "' takes a singular noun: write '" + plural.get().singular() + "', not '"
                    + word + "'");
        }
        if (count > 1 && singular.isPresent()) {
            throw error("'" + countWord + "' takes a plural noun: write '" + singular.get().plural() + "', not '"
                    + word + "'");
        }
        return singular.or(() -> plural).orElseThrow();
    }

    private <T> Optional<T> once(Optional<T> current, Optional<T> found, String kind) {
        if (current.isPresent()) {
            throw error("an object has one " + kind + ", but '" + tokens.get(next - 1) + "' follows another " + kind);
        }
        return found;
    }

    private Optional<Relation> relationAhead() {
        for (Relation r : Relation.values()) {
            List<String> words = r.words();
            if (next + words.size() <= tokens.size() && tokens.subList(next, next + words.size()).equals(words)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private Optional<String> peek() {
        return next < tokens.size() ? Optional.of(tokens.get(next)) : Optional.empty();
    }

    private String take(String expected) {
        if (next >= tokens.size()) {
            throw error("the prompt ends where " + expected + " was expected");
        }
        return tokens.get(next++);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " in '" + prompt + "'; captions read like"
                + " 'a red circle', 'two striped blue squares and a star' or 'a small circle left of a large cross'");
    }
}
