package dev.asyncdiff.data;

import dev.asyncdiff.world.Caption;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A named list of prompts: what a spec such as {@code coco:val:2048} loads ({@link PromptSets#load}).
 *
 * @param captions   for the embedded world's prompts, the captions (with category and requirements) whose texts
 *                   the prompts are, in the same order; empty for every other source
 * @param provenance where the prompts come from and how they were chosen, in one line
 */
public record PromptSet(PromptSpec spec, String name, List<String> prompts, List<Caption> captions,
                        String provenance) {

    public PromptSet {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provenance, "provenance");
        prompts = List.copyOf(prompts);
        captions = List.copyOf(captions);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompt set " + spec + " is empty (" + provenance + ")");
        }
        for (int i = 0; i < prompts.size(); i++) {
            String p = prompts.get(i);
            if (p.isBlank() || p.lines().count() != 1) {
                throw new IllegalArgumentException("prompt " + (i + 1) + " of " + spec + " is "
                        + (p.isBlank() ? "blank" : "more than one line") + " (" + provenance + ")");
            }
        }
        if (!captions.isEmpty() && !captions.stream().map(Caption::text).toList().equals(prompts)) {
            throw new IllegalArgumentException("the captions of prompt set " + spec + " are not its prompts");
        }
    }

    public int size() {
        return prompts.size();
    }

    /** The first n prompts, 1 ≤ n ≤ {@link #size()}; {@code spec} then ends in {@code :n}. */
    public PromptSet first(int n) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("N must be from 1 to " + size() + ", the size of " + spec + " (got "
                    + n + ")");
        }
        return new PromptSet(new PromptSpec(spec.source(), OptionalInt.of(n)), name, prompts.subList(0, n),
                captions.isEmpty() ? captions : captions.subList(0, n), provenance);
    }

    /** One line: spec, name, size and provenance. */
    public String summary() {
        return spec + ": " + name + ", " + size() + " prompts; " + provenance;
    }
}
