package dev.asyncdiff.reward.real;

import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import dev.asyncdiff.reward.Reward;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A metric of the paper's tables loaded from the model files its user has (nothing is downloaded): its name in
 * {@code --rewards NAME:DIR}, what DIR must hold (for messages), how it loads, and how {@code weights check --reward}
 * validates DIR from headers alone. {@link #ALL} is the one list of them.
 *
 * @param name   the reward's name, also its scores' name in tables
 * @param folder what DIR must hold, written for a user who has to assemble it
 * @param loader loads the reward from DIR; an IllegalArgumentException (one line) when DIR does not hold it
 * @param check  DIR's keys and shapes against what the reward reads, without loading tensor data
 */
public record RealReward(String name, String folder, Function<Path, Reward> loader,
                         Function<Path, ComponentReport> check) {
    /** Every real reward, in the order the paper's tables print them: ImageReward, HPSv2, CLIP score, PickScore. */
    public static final List<RealReward> ALL = List.of(ImageRewardScore.entry(), ClipReward.entry(ClipReward.Kind.HPSV2),
            ClipReward.entry(ClipReward.Kind.CLIP_SCORE), ClipReward.entry(ClipReward.Kind.PICKSCORE));

    /** The real reward named {@code name}, or null. */
    public static RealReward named(String name) {
        for (RealReward r : ALL) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The names, e.g. for a choice in a message. */
    public static List<String> names() {
        return ALL.stream().map(RealReward::name).toList();
    }

    /** Loads the reward from {@code dir}. */
    public Reward load(Path dir) {
        return loader.apply(dir);
    }
}
