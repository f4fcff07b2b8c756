package dev.asyncdiff.reward;

import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.Check;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.Requirements;
import dev.asyncdiff.world.Verdict;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The embedded world's exact oracle as a reward: {@code oracle} is the fraction of the caption's checks that pass
 * (count, each object's shape and stated attributes, the relation), a dense signal; {@code oracle-verdict} is 1 when
 * every check passes and 0 otherwise, the caption-level accuracy of the quality tables. Prompts must be captions of
 * the world. Images of another size than the world's renders are fitted to it first by {@link WorldInput#fit}.
 */
public final class OracleReward implements Reward {
    public static final OracleReward DENSE = new OracleReward(false);
    public static final OracleReward VERDICT = new OracleReward(true);

    private final boolean verdict;

    private OracleReward(boolean verdict) {
        this.verdict = verdict;
    }

    @Override
    public String name() {
        return verdict ? "oracle-verdict" : "oracle";
    }

    @Override
    public boolean needsPrompt() {
        return true;
    }

    @Override
    public double[] score(List<BufferedImage> images, List<String> prompts) {
        Reward.checkBatch(this, images, prompts);
        double[] out = new double[images.size()];
        for (int i = 0; i < out.length; i++) {
            Requirements r = CaptionParser.parse(prompts.get(i));
            Verdict v = Oracle.judge(WorldInput.fit(images.get(i)), r);
            out[i] = verdict ? (v.satisfied() ? 1 : 0) : passedShare(v);
        }
        return out;
    }

    private static double passedShare(Verdict v) {
        List<Check> checks = v.checks();
        return checks.stream().filter(Check::passed).count() / (double) checks.size();
    }
}
