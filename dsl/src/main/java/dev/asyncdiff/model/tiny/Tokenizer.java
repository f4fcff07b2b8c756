package dev.asyncdiff.model.tiny;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Words to token ids over a closed vocabulary: id 0 is padding, word i of the vocabulary is id i + 1. Prompts are
 * lower-cased and split at spaces, commas and full stops (as the world's vocabulary does); words outside the
 * vocabulary are an error.
 */
public final class Tokenizer {
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

    /** Token ids of one prompt (no padding); throws IllegalArgumentException for prompts the encoder cannot read. */
    public int[] encode(String prompt) {
        List<String> split = split(prompt);
        if (split.isEmpty()) {
            throw new IllegalArgumentException("empty prompt: the tiny model needs at least one word (use the "
                    + "unconditional condition for none)");
        }
        Set<String> unknown = new LinkedHashSet<>();
        int[] out = new int[split.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(split.get(i));
            if (id == null) {
                unknown.add(split.get(i));
            } else {
                out[i] = id;
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("prompt '" + prompt + "' has words outside the tiny model's "
                    + "vocabulary: " + String.join(", ", unknown));
        }
        if (out.length > maxTokens) {
            throw new IllegalArgumentException("prompt '" + prompt + "' has " + out.length + " words; the tiny "
                    + "model reads at most " + maxTokens);
        }
        return out;
    }
}
