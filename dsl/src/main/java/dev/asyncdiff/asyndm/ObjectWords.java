package dev.asyncdiff.asyndm;

import dev.asyncdiff.world.Colour;
import dev.asyncdiff.world.Shape;
import dev.asyncdiff.world.Size;
import dev.asyncdiff.world.Texture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which text tokens name the prompt's objects: each occurrence of an object word is one object (so "a red circle and
 * a blue circle" has two). The tiny world's grammar knows its objects — the shape nouns, singular or plural; for other
 * prompts the words are given explicitly.
 */
public final class ObjectWords {
    /** The tiny world's object words: every shape's singular and plural noun. */
    public static final Set<String> WORLD = java.util.Arrays.stream(Shape.values())
            .flatMap(s -> java.util.stream.Stream.of(s.singular(), s.plural())).collect(Collectors.toUnmodifiableSet());

    private ObjectWords() {
    }

    /**
     * The token index of each object in {@code tokens} (the prompt's words in token order), one object per occurrence.
     *
     * @param objectWords the words that name objects
     * @param explicit    whether the words were given by the user: then each must occur in the prompt
     * @throws IllegalArgumentException when no object is found, or an explicit word is not in the prompt
     */
    public static List<Integer> tokens(List<String> tokens, Set<String> objectWords, boolean explicit) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (objectWords.contains(tokens.get(i).toLowerCase(Locale.ROOT))) {
                out.add(i);
            }
        }
        if (explicit) {
            for (String w : objectWords) {
                if (tokens.stream().noneMatch(t -> t.equalsIgnoreCase(w))) {
                    throw new IllegalArgumentException("object word '" + w + "' is not in the prompt '"
                            + String.join(" ", tokens) + "'; name words of the prompt");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the prompt '" + String.join(" ", tokens) + "' names no object ("
                    + (explicit ? "given: " + objectWords : "no shape noun") + "); AsynDM needs at least one");
        }
        return List.copyOf(out);
    }

    /**
     * The token that carries each object's place in the tiny backbone's attention: per shape noun (one object per
     * occurrence, as {@link #tokens}), the colour word of its phrase (the words after the previous noun up to it);
     * without one the phrase's last size or texture word; without those the noun itself.
     *
     * <p>Why not the noun: measured with {@code asyncdiff masks} on the second-generation weights (2026-12-04, 48
     * spatial val prompts, 15 steps, all blocks), the attention to the shape nouns is higher on the background than on
     * the objects (AUC about 0.2), and so is that to the function words, while the attention to the colour words finds
     * the objects (AUC 0.83–0.88): this small model ties a region to its object through the colour it paints there.
     * For an object without a colour nothing in the prompt localises it well; the attribute or noun fallback is the
     * weak part of the rule.
     */
    public static List<Integer> world(List<String> tokens) {
        List<Integer> nouns = tokens(tokens, WORLD, false);
        List<Integer> out = new ArrayList<>();
        int start = 0;
        for (int noun : nouns) {
            int colour = -1;
            int attribute = -1;
            for (int i = start; i < noun; i++) {
                String w = tokens.get(i).toLowerCase(Locale.ROOT);
                if (Colour.fromWord(w).isPresent()) {
                    colour = i;
                } else if (Size.fromWord(w).isPresent() || Texture.fromWord(w).isPresent()) {
                    attribute = i;
                }
            }
            out.add(colour >= 0 ? colour : attribute >= 0 ? attribute : noun);
            start = noun + 1;
        }
        return List.copyOf(out);
    }
}
