package dev.asyncdiff.reward.embedded;

import java.util.Optional;

/**
 * The four embedded reward models: analogues, trained by {@code train-rewards} on the procedural world alone, of the
 * four metrics the AsyncDiff paper optimises. Their names say "embedded" so that no table mistakes them for the real
 * metrics.
 */
public enum EmbeddedModel {
    CLIP("embedded-clip", EmbeddedNetwork.Head.CLIP, "CLIP score", null),
    PREF_A("embedded-pref-a", EmbeddedNetwork.Head.PREFERENCE, "ImageReward", CorruptionMix.A),
    PREF_B("embedded-pref-b", EmbeddedNetwork.Head.PREFERENCE, "HPSv2", CorruptionMix.B),
    PREF_C("embedded-pref-c", EmbeddedNetwork.Head.PREFERENCE, "PickScore", CorruptionMix.C);

    private final String rewardName;
    private final EmbeddedNetwork.Head head;
    private final String analogue;
    private final CorruptionMix mix;

    EmbeddedModel(String rewardName, EmbeddedNetwork.Head head, String analogue, CorruptionMix mix) {
        this.rewardName = rewardName;
        this.head = head;
        this.analogue = analogue;
        this.mix = mix;
    }

    /** The reward's name, e.g. {@code embedded-pref-a}. */
    public String rewardName() {
        return rewardName;
    }

    public EmbeddedNetwork.Head head() {
        return head;
    }

    /** The real metric this model stands in for. */
    public String analogue() {
        return analogue;
    }

    /** The corruptions of a preference model's training pairs; none for the contrastive model. */
    public Optional<CorruptionMix> mix() {
        return Optional.ofNullable(mix);
    }

    /** The model of a reward name. */
    public static Optional<EmbeddedModel> byName(String name) {
        for (EmbeddedModel m : values()) {
            if (m.rewardName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
