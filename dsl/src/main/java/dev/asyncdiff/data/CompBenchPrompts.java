package dev.asyncdiff.data;

import java.util.List;

/**
 * T2I-CompBench's official train or val prompts of one category (spec {@code compbench:CATEGORY:train|val}), from
 * {@code datasets/t2i-compbench/CATEGORY_PART.txt}: 700 train and 300 val prompts per category, as published
 * (color, shape and texture train keep their duplicate lines).
 *
 * @param category a category as T2I-CompBench names it ({@link #CATEGORIES})
 * @param part     {@code train} or {@code val}
 */
public record CompBenchPrompts(String category, String part) implements PromptSource {
    /** The spec's form, naming the eight categories of T2I-CompBench++ in the paper's order. */
    public static final String FORM = "compbench:color|shape|texture|spatial|non_spatial|complex|numeracy|3d_spatial"
            + ":train|val";
    public static final List<String> CATEGORIES = List.of(FORM.split(":")[1].split("\\|"));

    public CompBenchPrompts {
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("unknown T2I-CompBench category '" + category + "' (use "
                    + String.join(", ", CATEGORIES) + ")");
        }
        if (!"train".equals(part) && !"val".equals(part)) {
            throw new IllegalArgumentException("unknown T2I-CompBench split '" + part + "' (use train or val)");
        }
    }

    @Override
    public String spec() {
        return "compbench:" + category + ":" + part;
    }

    @Override
    public PromptSet load() {
        String file = "t2i-compbench/" + category + "_" + part + ".txt";
        return new PromptSet(PromptSpec.of(this), "T2I-CompBench " + category + " " + part, DatasetFiles.lines(file),
                List.of(), DatasetFiles.name(file) + " (T2I-CompBench official " + part + " split, Huang et al. 2023;"
                        + " MIT)");
    }
}
