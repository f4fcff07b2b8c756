package dev.asyncdiff.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * MS-COCO 2014 captions (spec {@code coco:val}, {@code coco:train}), from the 30,000-caption val2014 pool
 * {@value #POOL} (one caption per image; DESIGN §5).
 *
 * <p>The paper evaluates on 2,048 val2014 captions sampled with seed 42 (DESIGN §1.2). Here: the pool's rows, in
 * file order, are shuffled by a forward Fisher–Yates pass driven by {@code new java.util.Random(42)} — for i = 0 …
 * n − 2, j = i + nextInt(n − i), swap rows i and j — and {@code val} is the first 2,048 rows of the result. A
 * forward pass fixes position i at step i, so the first N rows of {@code val} are the same whatever follows them.
 * This cannot reproduce the paper's Python sample (another generator, and the full 202,654-caption val2014 file).
 *
 * <p>MS-COCO train2014 captions could not be obtained, so {@code train} is the rest of the pool in the same shuffled
 * order, less every row whose caption text is also in {@code val}: 296 caption texts occur under several images, and
 * a training prompt must not be an evaluation prompt.
 *
 * @param part {@code val} or {@code train}
 */
public record CocoPrompts(String part) implements PromptSource {
    public static final String POOL = "coco2014/val2014_coco30k.tsv";
    /** The paper's evaluation sample size (DESIGN §1.2). */
    public static final int EVAL_SIZE = 2048;
    /** The paper's sampling seed (DESIGN §1.2). */
    public static final long SEED = 42;
    public static final String FORM = "coco:val|train";

    public CocoPrompts {
        if (!"val".equals(part) && !"train".equals(part)) {
            throw new IllegalArgumentException("unknown COCO part '" + part + "' (use val, the " + EVAL_SIZE
                    + "-caption evaluation sample, or train, the rest of the pool)");
        }
    }

    @Override
    public String spec() {
        return "coco:" + part;
    }

    @Override
    public PromptSet load() {
        List<String> pool = DatasetFiles.column(POOL, "caption");
        int[] order = shuffle(pool.size(), SEED);
        List<String> val = new ArrayList<>(EVAL_SIZE);
        for (int i = 0; i < EVAL_SIZE; i++) {
            val.add(pool.get(order[i]));
        }
        String source = DatasetFiles.name(POOL) + " (" + pool.size() + " val2014 captions, one per image; CC BY 4.0"
                + " COCO Consortium)";
        if (part.equals("val")) {
            return new PromptSet(PromptSpec.of(this), "MS-COCO 2014 evaluation captions", val, List.of(),
                    source + ": rows drawn by a forward Fisher-Yates shuffle with java.util.Random(" + SEED
                            + "), a stand-in for the paper's seed-42 sample, which it cannot reproduce");
        }
        Set<String> evaluated = new HashSet<>(val);
        List<String> train = new ArrayList<>(pool.size() - EVAL_SIZE);
        for (int i = EVAL_SIZE; i < order.length; i++) {
            String caption = pool.get(order[i]);
            if (!evaluated.contains(caption)) {
                train.add(caption);
            }
        }
        int dropped = pool.size() - EVAL_SIZE - train.size();
        return new PromptSet(PromptSpec.of(this), "MS-COCO 2014 training captions", train, List.of(),
                source + ": the rows outside coco:val, in the same shuffled order, less " + dropped + " whose"
                        + " caption is also in coco:val; train2014 captions are not available here");
    }

    /** Row indices 0 … n − 1 after a forward Fisher–Yates shuffle driven by {@code new Random(seed)}. */
    static int[] shuffle(int n, long seed) {
        Random random = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
