package dev.asyncdiff.data;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The embedded world's captions (spec {@code shapes:CATEGORY|all:SPLIT}) from its standard prompt splits
 * ({@link PromptSplits#standard()}, the splits the tiny backbone was trained beside): 700 train, 300 val and 300
 * val_unseen captions per category. {@code all} lists the categories one after another, in {@link Category} order.
 * These are the only prompts the tiny backbone reads.
 *
 * @param category one category, or empty for all of them
 */
public record WorldPrompts(Optional<Category> category, Split split) implements PromptSource {
    /** The spec's form: the {@link Category} and {@link Split} labels (a constant, so that CLI help can show it). */
    public static final String FORM = "shapes:colour|shape|texture|spatial|numeracy|complex|all:train|val|val_unseen";

    public WorldPrompts {
        Objects.requireNonNull(category, "category (use Optional.empty() for all categories)");
        Objects.requireNonNull(split, "split");
    }

    /** From the spec's words: a category label or {@code all}, and a split label. */
    static WorldPrompts of(String category, String split) {
        Optional<Category> c = category.equals("all") ? Optional.empty()
                : Optional.of(Arrays.stream(Category.values()).filter(k -> k.label().equals(category)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown world category '" + category
                                + "' (use " + Arrays.stream(Category.values()).map(Category::label)
                                .collect(Collectors.joining(", ")) + " or all)")));
        Split s = Arrays.stream(Split.values()).filter(k -> k.label().equals(split)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown world split '" + split + "' (use "
                        + Arrays.stream(Split.values()).map(Split::label).collect(Collectors.joining(", ")) + ")"));
        return new WorldPrompts(c, s);
    }

    @Override
    public String spec() {
        return "shapes:" + category.map(Category::label).orElse("all") + ":" + split.label();
    }

    @Override
    public PromptSet load() {
        PromptSplits splits = PromptSplits.standard();
        List<Caption> captions = category.map(c -> splits.get(split, c)).orElseGet(() -> splits.get(split));
        return new PromptSet(PromptSpec.of(this), "world " + category.map(Category::label).orElse("all categories")
                + " " + split.label(), captions.stream().map(Caption::text).toList(), captions,
                "the embedded world's standard prompt splits (PromptSplits seed " + splits.seed() + ")");
    }
}
