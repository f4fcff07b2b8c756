package dev.asyncdiff.model.tiny;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;

import java.util.List;
import java.util.Random;

/**
 * Training pairs from the procedural world: a caption drawn uniformly from the standard train split (all
 * categories; evaluation uses the same splits' val captions, so training never sees them) and a
 * freshly sampled scene for it, rendered as CHW floats in [−1, 1].
 */
final class SceneData {
    /** A caption and one rendering of it. */
    record Pair(String caption, float[] image) {
    }

    private final List<Caption> train;
    private final double unstatedPlain;

    /** @param unstatedPlain the probability that an object of unstated texture is plain */
    SceneData(double unstatedPlain) {
        this.train = PromptSplits.standard().get(Split.TRAIN);
        this.unstatedPlain = unstatedPlain;
    }

    Pair draw(Random rng) {
        Caption c = train.get(rng.nextInt(train.size()));
        return new Pair(c.text(), SceneRenderer.renderChw(SceneSampler.sample(c.requirements(), rng, unstatedPlain)));
    }
}
