package dev.asyncdiff.data;

import java.util.List;

/** DrawBench's 200 prompts in 11 categories (spec {@code drawbench}), in the order of the original Imagen sheet. */
public record DrawBenchPrompts() implements PromptSource {
    public static final String FILE = "drawbench/drawbench.tsv";
    public static final String FORM = "drawbench";

    @Override
    public String spec() {
        return FORM;
    }

    @Override
    public PromptSet load() {
        return new PromptSet(PromptSpec.of(this), "DrawBench", DatasetFiles.column(FILE, "prompt"), List.of(),
                DatasetFiles.name(FILE) + " (DrawBench, Saharia et al. 2022, published by Google Research without an"
                        + " explicit license)");
    }
}
