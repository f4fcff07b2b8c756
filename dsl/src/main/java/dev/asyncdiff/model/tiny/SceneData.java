package dev.asyncdiff.model.tiny;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;

import java.util.List;
import java.util.Random;

/**
 * Training pairs from the procedural world: a caption drawn uniformly from the train split (all categories) and a
 * freshly sampled scene for it, rendered as CHW floats in [−1, 1].
 */
final class SceneData {
    /** The prompt-split seed shared with evaluation, so that training never sees val captions. */
    static final long SPLITS_SEED = 42;

    /** A caption and one rendering of it. */
    record Pair(String caption, float[] image) {
    }

    private final List<Caption> train;

    SceneData() {
        this.train = PromptSplits.generate(SPLITS_SEED).get(Split.TRAIN);
    }

    Pair draw(Random rng) {
        Caption c = train.get(rng.nextInt(train.size()));
        return new Pair(c.text(), SceneRenderer.renderChw(SceneSampler.sample(c.requirements(), rng)));
    }
}
