package dev.asyncdiff.reward.real;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.BiFunction;

/** Scoring in batches of a bounded size: a model's activations stay bounded whatever number of images it is given. */
final class Batches {
    private Batches() {
    }

    /** One score per pair, {@code batch} computing those of at most {@code size} consecutive pairs at a time. */
    static double[] scored(List<BufferedImage> images, List<String> prompts, int size,
                           BiFunction<List<BufferedImage>, List<String>, double[]> batch) {
        double[] out = new double[images.size()];
        for (int from = 0; from < images.size(); from += size) {
            int to = Math.min(images.size(), from + size);
            double[] scores = batch.apply(images.subList(from, to), prompts.subList(from, to));
            System.arraycopy(scores, 0, out, from, scores.length);
        }
        return out;
    }
}
