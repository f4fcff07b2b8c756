package dev.asyncdiff.eval;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.asyndm.AttentionMask;
import dev.asyncdiff.asyndm.ObjectWords;
import dev.asyncdiff.model.AttentionMaps;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.world.Oracle;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * Whether the backbone's image→text attention finds the prompt's objects, measured where the truth is known: on the
 * tiny world, whose oracle finds the objects of an image exactly ({@link Oracle#objectPixels}). Each prompt is sampled
 * synchronously with its states recorded; at every step the attention of the conditional pass on x_k at t_k to each
 * object's word (AsynDM's signal, DESIGN.md §1.3) — the word AsynDM uses ({@link ObjectWords#world}, the colour word)
 * and, for comparison, the shape noun — per block and averaged over all blocks, is compared with the positions
 * the objects cover in the final image (a position is the objects' when at least {@value #OBJECT_SHARE} of its pixels
 * are object pixels):
 * <ul>
 * <li>AUC: the chance that an object position gets more of the word's attention than a background position (ties
 * half); 0.5 carries no information, below 0.5 the attention prefers the background;</li>
 * <li>for AsynDM's rule ({@link AttentionMask}: at least the threshold times the word's spatial mean, joined over the
 * words) the precision (share of the mask on objects), recall (share of the objects in the mask) and coverage.</li>
 * </ul>
 * Images whose objects cover no position, or every one, have no AUC and are left out.
 */
public final class MaskLocalization {
    /** A position belongs to the objects when at least this share of its pixels are object pixels. */
    public static final double OBJECT_SHARE = 0.25;
    /** The label of the measures on the attention averaged over every block (AsynDM's default). */
    public static final String ALL_BLOCKS = "all";

    private MaskLocalization() {
    }

    /** One image at one step, for one choice of blocks. */
    public record Measure(String words, String blocks, int step, double auc, double precision, double recall,
                          double coverage, double objectShare) {
    }

    /** The two choices of words compared: AsynDM's rule for the tiny world, and the shape nouns. */
    public static final String RULE_WORDS = "AsynDM's (colour)";
    public static final String NOUNS = "shape nouns";

    /**
     * @param pipeline  a synchronous pipeline on a backbone with {@link AttentionMaps} (its steps, guidance, seed)
     * @param prompts   the tiny world's prompts, one image each
     * @param threshold AsynDM's rule (multiple of the token mean)
     * @param progress  told (images done, total) after each batch
     */
    public static List<Measure> measure(Pipeline pipeline, List<String> prompts, double threshold,
                                        BiConsumer<Integer, Integer> progress) {
        AttentionMask.checkThreshold(threshold);
        if (!(pipeline.model() instanceof AttentionMaps maps)) {
            throw new IllegalArgumentException("backbone " + pipeline.backbone() + " exposes no image→text attention; "
                    + "masks can be scored on the tiny backbone");
        }
        Pipeline sync = pipeline.recordStates(true);
        int batch = Math.max(1, sync.batchSize());
        List<Measure> out = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += batch) {
            List<String> part = prompts.subList(from, Math.min(prompts.size(), from + batch));
            Generation g = sync.seed(sync.seed() + from).generate(part, 1);
            if (g.images().isEmpty()) {
                throw new IllegalArgumentException("backbone " + pipeline.backbone() + " decodes no images");
            }
            measureBatch(maps, sync.model().positions(), sync.model().encode(part), g, threshold, out);
            progress.accept(from + part.size(), prompts.size());
        }
        return out;
    }

    private static void measureBatch(AttentionMaps maps, int positions, Conditioning cond, Generation g,
                                     double threshold, List<Measure> out) {
        int n = g.size();
        // per image, once: where its objects are and the tokens of each choice of words (null: no AUC possible)
        boolean[][] object = new boolean[n][];
        double[] share = new double[n];
        List<Map<String, List<Integer>>> wordChoices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean[] o = objectPositions(g.images().get(i), positions);
            long count = IntStream.range(0, positions).filter(p -> o[p]).count();
            object[i] = count == 0 || count == positions ? null : o;
            share[i] = count / (double) positions;
            List<String> words = maps.tokenWords(cond, i);
            Map<String, List<Integer>> choice = new LinkedHashMap<>();
            choice.put(RULE_WORDS, ObjectWords.world(words));
            choice.put(NOUNS, ObjectWords.tokens(words, ObjectWords.WORLD, false));
            wordChoices.add(choice);
        }
        int steps = g.trajectories().get(0).steps().size();
        for (int k = 0; k < steps; k++) {
            float[][] x = new float[n][];
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = g.trajectories().get(i).states().get(k).x();
                t[i] = g.trajectories().get(i).steps().get(k).t();
            }
            float[][][][] attention = maps.crossAttention(x, new Timesteps.PerSample(t), cond);
            Map<String, List<Integer>> blockChoices = new LinkedHashMap<>();
            for (int b = 0; b < attention.length; b++) {
                blockChoices.put(Integer.toString(b), List.of(b));
            }
            blockChoices.put(ALL_BLOCKS, IntStream.range(0, attention.length).boxed().toList());
            for (int i = 0; i < n; i++) {
                if (object[i] == null) {
                    continue;
                }
                float[][][] row = new float[attention.length][][];
                for (int b = 0; b < attention.length; b++) {
                    row[b] = attention[b][i];
                }
                for (Map.Entry<String, List<Integer>> w : wordChoices.get(i).entrySet()) {
                    for (Map.Entry<String, List<Integer>> c : blockChoices.entrySet()) {
                        out.add(measure(w.getKey(), c.getKey(), k, row, c.getValue(), w.getValue(), object[i],
                                threshold, share[i]));
                    }
                }
            }
        }
    }

    private static Measure measure(String wordsLabel, String label, int step, float[][][] row, List<Integer> blocks,
                                   List<Integer> tokens, boolean[] object, double threshold, double share) {
        int positions = object.length;
        double auc = 0;
        for (int token : tokens) {
            double[] w = new double[positions];
            for (int b : blocks) {
                for (int p = 0; p < positions; p++) {
                    w[p] += row[b][p][token] / (double) blocks.size();
                }
            }
            auc += auc(w, object) / tokens.size();
        }
        AttentionMask mask = AttentionMask.of(row, blocks, tokens, threshold);
        int inMask = 0;
        int hits = 0;
        int objects = 0;
        for (int p = 0; p < positions; p++) {
            inMask += mask.related(p) ? 1 : 0;
            hits += mask.related(p) && object[p] ? 1 : 0;
            objects += object[p] ? 1 : 0;
        }
        return new Measure(wordsLabel, label, step, auc, inMask == 0 ? Double.NaN : hits / (double) inMask,
                hits / (double) objects, inMask / (double) positions, share);
    }

    /**
     * The Mann–Whitney AUC of {@code score} for telling {@code positive} positions from the rest: the share of
     * (positive, negative) pairs ordered right, ties counting half.
     */
    static double auc(double[] score, boolean[] positive) {
        double right = 0;
        long pairs = 0;
        for (int p = 0; p < score.length; p++) {
            if (!positive[p]) {
                continue;
            }
            for (int q = 0; q < score.length; q++) {
                if (positive[q]) {
                    continue;
                }
                right += score[p] > score[q] ? 1 : score[p] == score[q] ? 0.5 : 0;
                pairs++;
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("an AUC needs positive and negative positions");
        }
        return right / pairs;
    }

    /**
     * The positions (row-major on a square grid dividing the image) whose pixels are at least {@value #OBJECT_SHARE}
     * object pixels.
     */
    static boolean[] objectPositions(BufferedImage image, int positions) {
        int side = (int) Math.round(Math.sqrt(positions));
        int w = image.getWidth();
        int h = image.getHeight();
        if (side * side != positions || w % side != 0 || h % side != 0) {
            throw new IllegalArgumentException(positions + " positions are not a square grid dividing a " + w + "×"
                    + h + " image");
        }
        boolean[] pixels = Oracle.objectPixels(image);
        int cw = w / side;
        int ch = h / side;
        boolean[] out = new boolean[positions];
        for (int p = 0; p < positions; p++) {
            int x0 = (p % side) * cw;
            int y0 = (p / side) * ch;
            int inside = 0;
            for (int y = y0; y < y0 + ch; y++) {
                for (int x = x0; x < x0 + cw; x++) {
                    inside += pixels[y * w + x] ? 1 : 0;
                }
            }
            out[p] = inside >= OBJECT_SHARE * cw * ch;
        }
        return out;
    }

    /**
     * The measures averaged over images (95% intervals), per choice of blocks, over the steps of each third of the
     * run (early k &lt; K/3, middle, late) and over all steps, as a markdown table.
     */
    public static String toMarkdown(List<Measure> measures, int steps) {
        StringBuilder sb = new StringBuilder("| words | blocks | AUC early | AUC middle | AUC late | AUC all steps "
                + "| rule precision | rule recall | rule coverage |\n|---|---|---|---|---|---|---|---|---|\n");
        List<String> keys = measures.stream().map(m -> m.words() + " | " + m.blocks()).distinct().toList();
        for (String key : keys) {
            List<Measure> mine = measures.stream().filter(m -> (m.words() + " | " + m.blocks()).equals(key)).toList();
            sb.append("| ").append(key);
            for (int third = 0; third < 3; third++) {
                int t = third;
                sb.append(" | ").append(interval(mine.stream().filter(m -> m.step() * 3 / steps == t)
                        .mapToDouble(Measure::auc).toArray()));
            }
            sb.append(" | ").append(interval(mine.stream().mapToDouble(Measure::auc).toArray()));
            sb.append(" | ").append(interval(mine.stream().mapToDouble(Measure::precision)
                    .filter(v -> !Double.isNaN(v)).toArray()));
            sb.append(" | ").append(interval(mine.stream().mapToDouble(Measure::recall).toArray()));
            sb.append(" | ").append(interval(mine.stream().mapToDouble(Measure::coverage).toArray())).append(" |\n");
        }
        double share = measures.stream().filter(m -> m.blocks().equals(ALL_BLOCKS) && m.words().equals(RULE_WORDS))
                .mapToDouble(Measure::objectShare)
                .average().orElse(Double.NaN);
        sb.append(String.format(Locale.ROOT, "%nObjects cover %.3f of the positions on average (the precision of a "
                + "mask drawn at random).%n", share));
        return sb.toString();
    }

    private static String interval(double[] values) {
        return values.length < 2 ? "n/a" : MeanInterval.of(values).format(3);
    }

    /** The measures as CSV: words, blocks, step, auc, precision, recall, coverage, object_share. */
    public static String toCsv(List<Measure> measures) {
        StringBuilder sb = new StringBuilder("words,blocks,step,auc,precision,recall,coverage,object_share\n");
        for (Measure m : measures) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f%n", m.words(), m.blocks(),
                    m.step(), m.auc(),
                    m.precision(), m.recall(), m.coverage(), m.objectShare()));
        }
        return sb.toString();
    }
}
