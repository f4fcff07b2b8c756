package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped reward models on held-out val captions (never trained on): each prefers the faithful render to its
 * corruption for every kind it was trained on, and embedded-clip ranks the right caption above edited ones. Chance is
 * 0.5; the floors sit below what the shipped weights reach here (printed; README has 200 pairs per row).
 */
class EmbeddedRewardsTest {
    private static final HeldOutAccuracy HELD_OUT = new HeldOutAccuracy(80, 2024);
    private static final double FLOOR = 0.8;
    /** Textures are the hardest kind for every model: 3–7 px patterns seen through stride-2 convolutions. */
    private static final double TEXTURE_FLOOR = 0.6;
    /** A kind that makes under 5% of a mix's pairs (pref-b's semantic kinds) is learned less well. */
    private static final double MINOR_SHARE = 0.05;
    private static final double MINOR_FLOOR = 0.65;

    private static Reward reward(EmbeddedModel m) {
        return Rewards.parse(m.rewardName()).get(0);
    }

    /** Prints every row and returns those below their floor; {@code share} gives a row's share of the mix. */
    private static List<String> belowFloor(String model, List<HeldOutAccuracy.Row> rows,
                                           java.util.function.ToDoubleFunction<HeldOutAccuracy.Row> share) {
        List<String> failures = new ArrayList<>();
        for (HeldOutAccuracy.Row r : rows) {
            System.out.printf(Locale.ROOT, "%s %-12s %-10s accuracy %.3f margin %+.4f%n", model, r.test(), r.kind(),
                    r.accuracy(), r.meanMargin());
            double floor = r.kind().equals("texture") ? TEXTURE_FLOOR
                    : share.applyAsDouble(r) < MINOR_SHARE ? MINOR_FLOOR : FLOOR;
            if (r.accuracy() < floor) {
                failures.add(r.test() + " " + r.kind() + " " + r.accuracy());
            }
        }
        return failures;
    }

    @Test
    void aPromptThatIsNotACaptionOfTheWorldIsRefusedNamingTheReward() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reward(EmbeddedModel.PREF_B).score(List.of(image), List.of("a photo of a cat")));
        assertTrue(e.getMessage().startsWith("embedded-pref-b scores captions of the embedded world only"),
                e.getMessage());
        assertTrue(e.getMessage().contains("photo, cat"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = EmbeddedModel.class, names = {"PREF_A", "PREF_B", "PREF_C"})
    void aPreferenceModelPrefersTheCleanRenderForEveryCorruptionItWasTrainedOn(EmbeddedModel model) {
        CorruptionMix mix = model.mix().orElseThrow();
        List<HeldOutAccuracy.Row> rows = new ArrayList<>();
        for (Corruption c : Corruption.values()) {
            if (mix.includes(c)) {
                rows.add(HELD_OUT.pairs(reward(model), c));
            }
        }
        List<String> failures = belowFloor(model.rewardName(), rows,
                r -> mix.share(Corruption.valueOf(r.kind().toUpperCase(Locale.ROOT).replace('-', '_'))));
        assertTrue(failures.isEmpty(), model.rewardName() + " below its floor: " + failures);
    }

    @Test
    void embeddedClipRanksTheRightCaptionAboveEditedOnesAndTheFaithfulRenderAboveSemanticCorruptions() {
        List<HeldOutAccuracy.Row> rows = new ArrayList<>();
        for (CaptionEdit e : CaptionEdit.values()) {
            rows.add(HELD_OUT.captions(reward(EmbeddedModel.CLIP), e));
        }
        for (Corruption c : Corruption.values()) {
            if (c.semantic()) {
                rows.add(HELD_OUT.pairs(reward(EmbeddedModel.CLIP), c));
            }
        }
        List<String> failures = belowFloor("embedded-clip", rows, r -> 1);
        assertTrue(failures.isEmpty(), "embedded-clip below its floor: " + failures);
    }

    /**
     * Fine noise (σ 0.01 to 0.05 on the [0, 1] scale), clean render against noisy: the models trained on noise must
     * see it at σ = 0.05; embedded-clip and embedded-pref-c, which never saw noise, are measured and printed whichever
     * way it comes out (README reports it).
     */
    @Test
    void theModelsTrainedOnNoiseSeeItAndTheOthersAreMeasured() {
        List<String> failures = new ArrayList<>();
        for (EmbeddedModel m : EmbeddedModel.values()) {
            StringBuilder line = new StringBuilder(m.rewardName());
            for (double sigma : HeldOutAccuracy.NOISE_LEVELS) {
                HeldOutAccuracy.Row r = HELD_OUT.noise(reward(m), sigma);
                line.append(String.format(Locale.ROOT, "  σ %.2f: %.3f (%+.3f)", sigma, r.accuracy(), r.meanMargin()));
                boolean trained = m.mix().map(x -> x.includes(Corruption.NOISE)).orElse(false);
                if (trained && sigma == 0.05 && r.accuracy() < FLOOR) {
                    failures.add(m.rewardName() + " " + r.accuracy());
                }
            }
            System.out.println(line);
        }
        assertTrue(failures.isEmpty(), "models trained on noise that miss it at σ 0.05: " + failures);
    }
}
