package dev.asyncdiff.cli;

import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import dev.asyncdiff.reward.real.RealReward;

import java.util.List;

/** How a command's --rewards help names the rewards it accepts, written once for every command that takes them. */
final class RewardSpecs {
    /**
     * The rewards read from model files, as {@link RealReward#ALL} lists them (annotations need a constant;
     * RewardSpecsTest keeps the two lists equal).
     */
    static final String REAL = "image-reward, hpsv2, clip-score, pickscore";
    static final String HELP = "names as listed by 'asyncdiff score --help', and the rewards read from model files, "
            + "each with its folder as NAME:DIR (" + REAL + ")";

    private RewardSpecs() {
    }

    /** The rewards {@code --rewards SPEC} names; a bad list is one line that starts with the option's name. */
    static List<Reward> parse(String spec) {
        try {
            return Rewards.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rewards " + e.getMessage(), e);
        }
    }
}
