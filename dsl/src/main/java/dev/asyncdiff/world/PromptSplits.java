package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded prompt splits for every category, sized like T2I-CompBench: 700 train and 300 val captions free of
 * held-out bindings, and 300 val_unseen captions that each bind at least one (see {@link UnseenCombinations}).
 * All captions of a category have distinct texts, so the splits are disjoint. The same seed gives the same splits.
 */
public final class PromptSplits {
    public static final int TRAIN_SIZE = 700;
    public static final int VAL_SIZE = 300;
    public static final int VAL_UNSEEN_SIZE = 300;
    /** The seed of the standard splits: the embedded model trains on their train split and is judged on the rest. */
    public static final long STANDARD_SEED = 42;

    /** Draws per category before giving up: far more than the few thousand any category needs. */
    private static final int MAX_DRAWS = 200_000;

    private final long seed;
    private final Map<Split, Map<Category, List<Caption>>> splits;

    private PromptSplits(long seed, Map<Split, Map<Category, List<Caption>>> splits) {
        this.seed = seed;
        this.splits = splits;
    }

    /** The standard splits ({@link #STANDARD_SEED}). */
    public static PromptSplits standard() {
        return generate(STANDARD_SEED);
    }

    /** The splits for a seed. */
    public static PromptSplits generate(long seed) {
        Map<Split, Map<Category, List<Caption>>> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, new EnumMap<>(Category.class));
        }
        for (Category c : Category.values()) {
            drawCategory(c, Seeds.random(seed * Category.values().length + c.ordinal()), splits);
        }
        return new PromptSplits(seed, splits);
    }

    public long seed() {
        return seed;
    }

    /** The captions of one split and category, in a fixed random order. */
    public List<Caption> get(Split split, Category category) {
        return splits.get(split).get(category);
    }

    /** The captions of one split, category by category. */
    public List<Caption> get(Split split) {
        List<Caption> all = new ArrayList<>();
        for (Category c : Category.values()) {
            all.addAll(get(split, c));
        }
        return all;
    }

    private static void drawCategory(Category category, Random rng, Map<Split, Map<Category, List<Caption>>> out) {
        Map<String, Caption> seen = new LinkedHashMap<>();
        Map<String, Caption> unseen = new LinkedHashMap<>();
        int draws = 0;
        while (seen.size() < TRAIN_SIZE + VAL_SIZE || unseen.size() < VAL_UNSEEN_SIZE) {
            if (++draws > MAX_DRAWS) {
                throw new IllegalStateException("the " + category.label() + " grammar produced only " + seen.size()
                        + " distinct seen and " + unseen.size() + " distinct unseen captions in " + MAX_DRAWS
                        + " draws; widen the grammar or shrink the splits");
            }
            Caption c = CaptionGrammar.sample(category, rng);
            Map<String, Caption> target = UnseenCombinations.isHeldOut(c.requirements()) ? unseen : seen;
            int limit = target == seen ? TRAIN_SIZE + VAL_SIZE : VAL_UNSEEN_SIZE;
            if (target.size() < limit) {
                target.putIfAbsent(c.text(), c);
            }
        }
        List<Caption> seenList = List.copyOf(seen.values());
        out.get(Split.TRAIN).put(category, seenList.subList(0, TRAIN_SIZE));
        out.get(Split.VAL).put(category, seenList.subList(TRAIN_SIZE, TRAIN_SIZE + VAL_SIZE));
        out.get(Split.VAL_UNSEEN).put(category, List.copyOf(unseen.values()));
    }
}
