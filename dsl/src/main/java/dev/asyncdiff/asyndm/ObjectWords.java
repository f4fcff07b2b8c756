package dev.asyncdiff.asyndm;

import dev.asyncdiff.world.Shape;

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
}
