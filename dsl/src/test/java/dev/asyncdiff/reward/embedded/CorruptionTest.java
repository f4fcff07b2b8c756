package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.CaptionWriter;
import dev.asyncdiff.world.Oracle;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Requirements;
import dev.asyncdiff.world.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corruptions that make the losing side of the reward models' pairs, judged by the world's exact oracle. */
class CorruptionTest {
    private static final List<Caption> VAL = PromptSplits.standard().get(Split.VAL);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Corruption.class, names = {"COLOUR", "SHAPE", "TEXTURE", "RELATION", "COUNT", "EXTRA",
            "MISSING"})
    void aSemanticCorruptionFailsTheOracleWhereTheCleanRenderPasses(Corruption kind) {
        Random rng = new Random(7);
        int judged = 0;
        int failed = 0;
        while (judged < 60) {
            Caption c = VAL.get(rng.nextInt(VAL.size()));
            Optional<TrainingPairs.PreferencePair> p = TrainingPairs.pair(c, kind, rng);
            if (p.isEmpty() || !Oracle.judge(p.get().winner(), c).satisfied()) {
                continue;
            }
            judged++;
            failed += Oracle.judge(p.get().loser(), c).satisfied() ? 0 : 1;
        }
        // The oracle itself misses a few per cent (OracleTest: ≥ 97% on clean renders).
        assertTrue(failed >= 56, kind + ": the oracle rejected only " + failed + " of " + judged + " corrupted renders");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CaptionEdit.class)
    void anEditedCaptionIsAValidCaptionThatDiffersFromTheOriginal(CaptionEdit edit) {
        Random rng = new Random(3);
        int applied = 0;
        for (Caption c : VAL) {
            Optional<Requirements> e = edit.apply(c.requirements(), rng);
            if (e.isPresent()) {
                applied++;
                String text = CaptionWriter.write(e.get());
                assertEquals(e.get(), CaptionParser.parse(text), text);
                assertNotEquals(c.requirements(), e.get(), c.text());
            }
        }
        assertTrue(applied > 100, edit + " applied to only " + applied + " of " + VAL.size() + " val captions");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Corruption.class, names = {"BLUR", "LOW_DETAIL", "JPEG", "NOISE"})
    void aPixelCorruptionChangesPixelsButNotTheImageSize(Corruption kind) {
        Random rng = new Random(5);
        Caption c = VAL.get(0);
        TrainingPairs.PreferencePair p = TrainingPairs.pair(c, kind, rng).orElseThrow();
        BufferedImage a = p.winner();
        BufferedImage b = p.loser();
        assertEquals(List.of(a.getWidth(), a.getHeight()), List.of(b.getWidth(), b.getHeight()));
        int changed = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                changed += (a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF) ? 1 : 0;
            }
        }
        assertTrue(changed > a.getWidth() * a.getHeight() / 10, kind + " changed only " + changed + " pixels");
    }

    @Test
    void mixCNeverDrawsNoiseAndEveryMixDrawsByItsWeights() {
        assertEquals(0, CorruptionMix.C.share(Corruption.NOISE));
        for (CorruptionMix mix : List.of(CorruptionMix.A, CorruptionMix.B, CorruptionMix.C)) {
            Random rng = new Random(11);
            int n = 20_000;
            int[] counts = new int[Corruption.values().length];
            for (int i = 0; i < n; i++) {
                counts[mix.draw(rng).ordinal()]++;
            }
            for (Corruption c : Corruption.values()) {
                double p = mix.share(c);
                // four binomial standard deviations
                assertEquals(p, counts[c.ordinal()] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-12, c.label());
            }
        }
    }
}
