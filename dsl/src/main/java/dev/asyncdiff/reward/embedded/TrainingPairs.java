package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.CaptionWriter;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The examples the embedded reward models learn from, all drawn from the procedural world: a caption and a fresh
 * render of it (the contrastive model, with an edited caption as a hard negative), or a preference pair of a
 * faithful render and a corrupted one for the same caption. Nothing here reads a generator's output, so the reward
 * models do not depend on the backbone's weights.
 */
final class TrainingPairs {
    /** A faithful render (the winner) and a corrupted one (the loser) for one caption. */
    record PreferencePair(String caption, BufferedImage winner, BufferedImage loser, Corruption corruption) {
    }

    private TrainingPairs() {
    }

    /** A fresh render of the caption's scene, drawn with {@code sceneSeed}. */
    static BufferedImage render(Caption c, long sceneSeed) {
        return SceneRenderer.render(SceneSampler.sample(c.requirements(), sceneSeed));
    }

    /** A pair whose loser is made by {@code corruption}; nothing when it does not apply to the caption. */
    static Optional<PreferencePair> pair(Caption c, Corruption corruption, Random rng) {
        long sceneSeed = rng.nextLong();
        BufferedImage clean = render(c, sceneSeed);
        return corruption.apply(c.requirements(), sceneSeed, clean, rng)
                .map(loser -> new PreferencePair(c.text(), clean, loser, corruption));
    }

    /** A pair whose corruption is drawn from the mix, drawn again until one applies to the caption. */
    static PreferencePair pair(Caption c, CorruptionMix mix, Random rng) {
        while (true) { // the mix always weighs a corruption that applies to every caption (its constructor checks)
            Optional<PreferencePair> p = pair(c, mix.draw(rng), rng);
            if (p.isPresent()) {
                return p.get();
            }
        }
    }

    /** A caption made false of every scene of {@code c} by one edit drawn among those that apply. */
    static String negative(Caption c, Random rng) {
        List<CaptionEdit> edits = List.of(CaptionEdit.values());
        while (true) { // SHAPE applies to every caption
            Optional<String> edited = edits.get(rng.nextInt(edits.size())).apply(c.requirements(), rng)
                    .map(CaptionWriter::write);
            if (edited.isPresent()) {
                return edited.get();
            }
        }
    }
}
