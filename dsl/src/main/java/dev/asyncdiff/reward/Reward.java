package dev.asyncdiff.reward;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A metric of generated images, scored in batches of (image, prompt) pairs; higher is better. The real ImageReward,
 * HPSv2, CLIP score and PickScore fit it as well as the project's embedded analogues.
 */
public interface Reward {
    /** The metric's name as the CLI and tables write it, e.g. {@code oracle} or {@code hf-noise}. */
    String name();

    /** Whether the metric reads the prompt; a prompt-free metric is given whatever prompts there are. */
    boolean needsPrompt();

    /**
     * One score per image; {@code prompts.get(i)} belongs to {@code images.get(i)}. A prompt-free metric accepts an
     * empty prompt list.
     */
    double[] score(List<BufferedImage> images, List<String> prompts);

    /** Checks the batch's shape once for every metric: one prompt per image unless the metric needs none. */
    static void checkBatch(Reward r, List<BufferedImage> images, List<String> prompts) {
        boolean promptsGiven = !prompts.isEmpty();
        if ((r.needsPrompt() || promptsGiven) && prompts.size() != images.size()) {
            throw new IllegalArgumentException(r.name() + " needs one prompt per image (got " + images.size()
                    + " images and " + prompts.size() + " prompts)");
        }
    }
}
