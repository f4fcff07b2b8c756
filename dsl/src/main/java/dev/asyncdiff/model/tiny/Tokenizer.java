package dev.asyncdiff.model.tiny;

import dev.asyncdiff.data.WorldPrompts;
import dev.asyncdiff.world.CaptionParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Words to token ids over a closed vocabulary: id 0 is padding, word i of the vocabulary is id i + 1. Prompts are
 * lower-cased and split at spaces, commas and full stops (as the world's vocabulary does). The tiny model was
 * trained on its world's captions only, so this is where its prompts are checked: an empty prompt, more words than
 * it reads, words outside the vocabulary, and known words that do not make a caption of the world
 * ({@link CaptionParser}: "circle red a", "a red circle left of") are refused; the last two say which prompts it
 * does read.
 */
public final class Tokenizer {
    /** Which prompt sets the model reads, for its refusals. */
    static final String SETS = "prompt sets it reads: " + WorldPrompts.FORM + "[:N]";

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int maxTokens;

    public Tokenizer(List<String> words, int maxTokens) {
        this.words = List.copyOf(words);
        for (int i = 0; i < this.words.size(); i++) {
            if (ids.put(this.words.get(i), i + 1) != null) {
                throw new IllegalArgumentException("vocabulary lists '" + this.words.get(i) + "' twice");
            }
        }
        this.maxTokens = maxTokens;
    }

    public List<String> words() {
        return words;
    }

    /** Number of ids, padding included. */
    public int size() {
        return words.size() + 1;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The prompt's words, as the encoder reads them. */
    public static List<String> split(String prompt) {
        List<String> out = new ArrayList<>();
        for (String w : prompt.toLowerCase(Locale.ROOT).split("[\\s,.]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Token ids of one prompt (no padding); refuses, as {@link #validate} does, a prompt the model cannot read. */
    public int[] encode(String prompt) {
        validate(prompt);
        return split(prompt).stream().mapToInt(ids::get).toArray();
    }

    /** Throws IllegalArgumentException, in one line saying what is wrong, for a prompt the model cannot read. */
    public void validate(String prompt) {
        List<String> split = split(prompt);
        if (split.isEmpty()) {
            throw new IllegalArgumentException("empty prompt: the tiny model needs at least one word (use the "
                    + "unconditional condition for none)");
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (String w : split) {
            if (!ids.containsKey(w)) {
                unknown.add(w);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("prompt '" + prompt + "' has words outside the tiny model's "
                    + "vocabulary: " + String.join(", ", unknown) + "; it reads only captions of its world, like 'a red"
                    + " circle left of a blue square' (" + SETS + ")");
        }
        if (split.size() > maxTokens) {
            throw new IllegalArgumentException("prompt '" + prompt + "' has " + split.size() + " words; the tiny "
                    + "model reads at most " + maxTokens);
        }
        try {
            CaptionParser.parse(prompt); // parsing is the check; the requirements it returns are not needed here
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prompt '" + prompt + "' is not a caption of the tiny model's world: "
                    + e.getMessage() + " (" + SETS + ")");
        }
    }
}
