package dev.asyncdiff.bench;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Prompts drawn at random from the validation captions of the splits the shipped tiny model was trained beside. */
final class ValPrompts {
    private ValPrompts() {
    }

    static List<String> draw(int n, SplittableRandom random) {
        List<Caption> val = PromptSplits.standard().get(Split.VAL);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(val.get(random.nextInt(val.size())).text());
        }
        return out;
    }
}
