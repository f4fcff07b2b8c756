package dev.asyncdiff.data;

import java.util.List;

/**
 * One of the four 40-prompt sets of the AsynDM repository (spec {@code asyndm:SET}), from
 * {@code datasets/asyndm/SET.jsonl}. Prompts are exactly as published, trailing spaces included; the files' other
 * fields (item_idx, item_k: the prompt-related token positions and their schedule parameter) are not read here.
 *
 * @param set animal, drawbench, geneval or mscoco
 */
public record AsynDmPrompts(String set) implements PromptSource {
    public static final String FORM = "asyndm:animal|drawbench|geneval|mscoco";
    public static final List<String> SETS = List.of(FORM.split(":")[1].split("\\|"));

    public AsynDmPrompts {
        if (!SETS.contains(set)) {
            throw new IllegalArgumentException("unknown AsynDM prompt set '" + set + "' (use "
                    + String.join(", ", SETS) + ")");
        }
    }

    @Override
    public String spec() {
        return "asyndm:" + set;
    }

    @Override
    public PromptSet load() {
        String file = "asyndm/" + set + ".jsonl";
        return new PromptSet(PromptSpec.of(this), "AsynDM " + set, DatasetFiles.field(file, "prompt"), List.of(),
                DatasetFiles.name(file) + " (AsynDM's " + set + " prompts, Hu et al. 2025; MIT)");
    }
}
