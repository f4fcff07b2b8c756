package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.CaptionWriter;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The examples the embedded reward models learn from, all drawn from the procedural world: a caption and a fresh
 * render of it (the contrastive model, with edited captions as hard negatives), or a preference pair of a
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

    /**
     * {@code k} captions, each made false of every scene of {@code c} by a different edit, drawn among the edits that
     * apply (fewer when fewer apply; SHAPE applies to every caption).
     */
    static List<String> negatives(Caption c, int k, Random rng) {
        List<CaptionEdit> edits = new ArrayList<>(List.of(CaptionEdit.values()));
        Collections.shuffle(edits, rng);
        List<String> out = new ArrayList<>();
        for (CaptionEdit e : edits) {
            if (out.size() < k) {
                e.apply(c.requirements(), rng).map(CaptionWriter::write).ifPresent(out::add);
            }
        }
        return out;
    }
}
