package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.CaptionWriter;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * How often a reward prefers what it should on the world's held-out val captions (never seen in training), with
 * the ground truth known by construction:
 * <ul>
 *   <li>{@link #pairs}: a faithful render against the same draw corrupted by one {@link Corruption};</li>
 *   <li>{@link #noise}: a faithful render against itself with pixel noise of one fixed σ (the paper's background
 *   noise);</li>
 *   <li>{@link #captions}: for one render, its caption against the caption with one {@link CaptionEdit} (the
 *   contrastive model's ranking of the right caption above attribute-swapped ones).</li>
 * </ul>
 * A pair counts as right when the faithful side scores strictly higher; the margin is the mean score difference.
 */
public final class HeldOutAccuracy {
    /** One row of the report. */
    public record Row(String test, String kind, int pairs, double accuracy, double meanMargin) {
    }

    /** Noise levels of the noise test, on the [0, 1] scale. */
    public static final double[] NOISE_LEVELS = {0.01, 0.02, 0.03, 0.05};

    private final List<Caption> captions = PromptSplits.standard().get(Split.VAL);
    private final int perKind;
    private final long seed;

    /** @param perKind pairs per corruption kind (and per noise level and caption edit) */
    public HeldOutAccuracy(int perKind, long seed) {
        if (perKind < 1) {
            throw new IllegalArgumentException("need at least one held-out pair per kind (got " + perKind + ")");
        }
        this.perKind = perKind;
        this.seed = seed;
    }

    /** Faithful render against its corruption, per corruption kind. */
    public Row pairs(Reward reward, Corruption kind) {
        Random rng = new Random(seed * 131 + kind.ordinal());
        List<TrainingPairs.PreferencePair> pairs = new ArrayList<>();
        while (pairs.size() < perKind) {
            TrainingPairs.pair(caption(rng), kind, rng).ifPresent(pairs::add);
        }
        List<String> prompts = pairs.stream().map(TrainingPairs.PreferencePair::caption).toList();
        return row("image-pair", kind.label(), reward.score(pairs.stream().map(TrainingPairs.PreferencePair::winner)
                .toList(), prompts), reward.score(pairs.stream().map(TrainingPairs.PreferencePair::loser).toList(),
                prompts));
    }

    /** Faithful render against itself with noise of standard deviation {@code sigma} on the [0, 1] scale. */
    public Row noise(Reward reward, double sigma) {
        Random rng = new Random(seed * 137 + Double.hashCode(sigma));
        List<String> prompts = new ArrayList<>();
        List<BufferedImage> clean = new ArrayList<>();
        List<BufferedImage> noisy = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            Caption c = caption(rng);
            BufferedImage image = TrainingPairs.render(c, rng.nextLong());
            prompts.add(c.text());
            clean.add(image);
            noisy.add(Corruption.noise(image, sigma, rng.nextLong()));
        }
        return row("noise", "sigma-" + sigma, reward.score(clean, prompts), reward.score(noisy, prompts));
    }

    /** A render scored with its caption against the caption edited by {@code edit}. */
    public Row captions(Reward reward, CaptionEdit edit) {
        Random rng = new Random(seed * 139 + edit.ordinal());
        List<String> right = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        while (images.size() < perKind) {
            Caption c = caption(rng);
            Optional<String> edited = edit.apply(c.requirements(), rng).map(CaptionWriter::write);
            if (edited.isPresent()) {
                right.add(c.text());
                wrong.add(edited.get());
                images.add(TrainingPairs.render(c, rng.nextLong()));
            }
        }
        return row("caption-rank", edit.name().toLowerCase(java.util.Locale.ROOT), reward.score(images, right),
                reward.score(images, wrong));
    }

    /** Every row for a reward: each corruption, each noise level, and, for the contrastive model, each edit. */
    public List<Row> all(Reward reward, boolean captionRanking) {
        List<Row> rows = new ArrayList<>();
        for (Corruption c : Corruption.values()) {
            rows.add(pairs(reward, c));
        }
        for (double sigma : NOISE_LEVELS) {
            rows.add(noise(reward, sigma));
        }
        if (captionRanking) {
            for (CaptionEdit e : CaptionEdit.values()) {
                rows.add(captions(reward, e));
            }
        }
        return rows;
    }

    private Caption caption(Random rng) {
        return captions.get(rng.nextInt(captions.size()));
    }

    private static Row row(String test, String kind, double[] better, double[] worse) {
        int right = 0;
        double margin = 0;
        for (int i = 0; i < better.length; i++) {
            right += better[i] > worse[i] ? 1 : 0;
            margin += (better[i] - worse[i]) / better.length;
        }
        return new Row(test, kind, better.length, right / (double) better.length, margin);
    }
}
