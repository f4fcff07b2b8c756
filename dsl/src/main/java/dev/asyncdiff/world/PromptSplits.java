package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded prompt splits for every category, sized like T2I-CompBench: 700 train and 300 val captions free of
 * held-out bindings, and 300 val_unseen captions that each bind at least one (see {@link UnseenCombinations}).
 * All captions of a category have distinct texts, so the splits are disjoint. The same seed gives the same splits.
 *
 * <p>Train and val are split within each object count, in proportion: short captions have few distinct texts, so
 * they come out of the grammar first, and splitting in drawing order sent every one-object caption to train and
 * left val harder than the training mix.
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
        List<Caption> seenList = new ArrayList<>(seen.values());
        Collections.shuffle(seenList, rng);
        List<Caption> val = stratifiedSample(seenList, VAL_SIZE);
        List<Caption> train = new ArrayList<>(seenList);
        train.removeAll(val);
        out.get(Split.TRAIN).put(category, List.copyOf(train));
        out.get(Split.VAL).put(category, List.copyOf(val));
        out.get(Split.VAL_UNSEEN).put(category, List.copyOf(unseen.values()));
    }

    /**
     * {@code n} of the (shuffled) captions, taking from each object count its proportional share, rounded by
     * largest remainder so that the shares add up to {@code n}; the order of {@code captions} is kept.
     */
    static List<Caption> stratifiedSample(List<Caption> captions, int n) {
        Map<Integer, List<Caption>> byCount = new TreeMap<>();
        for (Caption c : captions) {
            byCount.computeIfAbsent(c.requirements().objectCount(), k -> new ArrayList<>()).add(c);
        }
        Map<Integer, Integer> quota = new TreeMap<>();
        List<Integer> byRemainder = new ArrayList<>(byCount.keySet());
        int given = 0;
        for (Map.Entry<Integer, List<Caption>> e : byCount.entrySet()) {
            int q = (int) ((long) n * e.getValue().size() / captions.size());
            quota.put(e.getKey(), q);
            given += q;
        }
        byRemainder.sort(Comparator.comparingLong((Integer k) -> (long) n * byCount.get(k).size() % captions.size())
                .reversed().thenComparing(Comparator.naturalOrder()));
        for (int i = 0; i < n - given; i++) {
            quota.merge(byRemainder.get(i), 1, Integer::sum);
        }
        Set<Caption> chosen = new HashSet<>();
        byCount.forEach((k, list) -> chosen.addAll(list.subList(0, quota.get(k))));
        return captions.stream().filter(chosen::contains).toList();
    }
}
