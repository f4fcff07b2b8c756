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

    /**
     * The verdicts of the last batch judged, so that {@code oracle} and {@code oracle-verdict} scoring the same images
     * (the same objects) with the same prompts, as an evaluation does, judge each image once.
     */
    private record Judged(List<BufferedImage> images, List<String> prompts, Verdict[] verdicts) {
        boolean covers(List<BufferedImage> other, List<String> otherPrompts) {
            if (other.size() != images.size() || !otherPrompts.equals(prompts)) {
                return false;
            }
            for (int i = 0; i < images.size(); i++) {
                if (other.get(i) != images.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Judged last;

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
        Verdict[] verdicts = judge(images, prompts);
        double[] out = new double[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = verdict ? (verdicts[i].satisfied() ? 1 : 0) : passedShare(verdicts[i]);
        }
        return out;
    }

    private static Verdict[] judge(List<BufferedImage> images, List<String> prompts) {
        synchronized (OracleReward.class) {
            if (last != null && last.covers(images, prompts)) {
                return last.verdicts();
            }
        }
        Verdict[] verdicts = new Verdict[images.size()];
        for (int i = 0; i < verdicts.length; i++) {
            Requirements r = CaptionParser.parse(prompts.get(i));
            verdicts[i] = Oracle.judge(WorldInput.fit(images.get(i)), r);
        }
        synchronized (OracleReward.class) {
            last = new Judged(List.copyOf(images), List.copyOf(prompts), verdicts);
        }
        return verdicts;
    }

    private static double passedShare(Verdict v) {
        List<Check> checks = v.checks();
        return checks.stream().filter(Check::passed).count() / (double) checks.size();
    }
}
