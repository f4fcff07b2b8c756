package dev.asyncdiff.data;

import java.util.List;

/**
 * GenEval's 553 prompts (spec {@code geneval}); line i is prompt i, as GenEval numbers its output folders. The
 * detector-based scorer's metadata is beside it in {@code datasets/geneval/evaluation_metadata.jsonl}.
 */
public record GenEvalPrompts() implements PromptSource {
    public static final String FILE = "geneval/generation_prompts.txt";
    public static final String FORM = "geneval";

    @Override
    public String spec() {
        return FORM;
    }

    @Override
    public PromptSet load() {
        return new PromptSet(PromptSpec.of(this), "GenEval", DatasetFiles.lines(FILE), List.of(),
                DatasetFiles.name(FILE) + " (GenEval, Ghosh et al. 2023; MIT)");
    }
}
