package dev.asyncdiff.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * T2I-CompBench's official train or val prompts of one category (spec {@code compbench:CATEGORY:train|val}), from
 * {@code datasets/t2i-compbench/CATEGORY_PART.txt}: 700 train and 300 val prompts per category, as published
 * (color, shape and texture train keep their duplicate lines); {@code compbench:all:val} is the eight categories'
 * splits one after the other, in {@link #CATEGORIES}' order (2,400 val prompts).
 *
 * @param category a category as T2I-CompBench names it ({@link #CATEGORIES}), or {@value #ALL}
 * @param part     {@code train} or {@code val}
 */
public record CompBenchPrompts(String category, String part) implements PromptSource {
    /** The spec's form, naming the eight categories of T2I-CompBench++ in the paper's order. */
    public static final String FORM = "compbench:color|shape|texture|spatial|non_spatial|complex|numeracy|3d_spatial"
            + "|all:train|val";
    /** Every category in turn. */
    public static final String ALL = "all";
    public static final List<String> CATEGORIES = Stream.of(FORM.split(":")[1].split("\\|"))
            .filter(c -> !c.equals(ALL)).toList();

    public CompBenchPrompts {
        if (!CATEGORIES.contains(category) && !ALL.equals(category)) {
            throw new IllegalArgumentException("unknown T2I-CompBench category '" + category + "' (use "
                    + String.join(", ", CATEGORIES) + ", or " + ALL + ")");
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
        List<String> categories = ALL.equals(category) ? CATEGORIES : List.of(category);
        List<String> prompts = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String c : categories) {
            String file = "t2i-compbench/" + c + "_" + part + ".txt";
            prompts.addAll(DatasetFiles.lines(file));
            files.add(DatasetFiles.name(file));
        }
        return new PromptSet(PromptSpec.of(this), "T2I-CompBench " + category + " " + part, prompts, List.of(),
                String.join(", ", files) + " (T2I-CompBench official " + part + " split, Huang et al. 2023; MIT)");
    }
}
