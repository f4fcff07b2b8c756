package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.io.Safetensors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short training runs: seeded, and a resumed run ends where an uninterrupted one does. */
class RewardTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private static RewardTraining.Options options(long seed, int steps) {
        return new RewardTraining.Options(seed, steps, 4, 1e-3f, 2, 0);
    }

    /** A preference model starts from the shipped contrastive model's encoders, as train-rewards starts it. */
    private RewardTraining training(EmbeddedModel model, long seed, int steps, String folder) throws IOException {
        return new RewardTraining(model, options(seed, steps), dir.resolve(folder),
                model == EmbeddedModel.CLIP ? Map.of() : EmbeddedWeights.shippedTensors(EmbeddedModel.CLIP));
    }

    private Map<String, Safetensors.Tensor> train(EmbeddedModel model, long seed, int steps, String folder,
                                                  boolean resume) throws IOException {
        training(model, seed, steps, folder).run(resume, (s, l, a) -> { }, QUIET);
        return EmbeddedWeights.tensors(dir.resolve(folder).resolve("export"), model);
    }

    private static void assertSameWeights(Map<String, Safetensors.Tensor> a, Map<String, Safetensors.Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.data(), b.get(name).data(), name));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = EmbeddedModel.class, names = {"CLIP", "PREF_C"})
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers(EmbeddedModel model) throws IOException {
        Map<String, Safetensors.Tensor> first = train(model, 1, 3, "a", false);
        assertSameWeights(first, train(model, 1, 3, "b", false));
        Map<String, Safetensors.Tensor> other = train(model, 2, 3, "c", false);
        assertFalse(java.util.Arrays.equals(first.get("img.proj.w").data(), other.get("img.proj.w").data()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = EmbeddedModel.class, names = {"CLIP", "PREF_A"})
    void aRunStoppedAndResumedEndsWithTheWeightsAndLogOfAnUninterruptedRun(EmbeddedModel model) throws IOException {
        Map<String, Safetensors.Tensor> whole = train(model, 5, 4, "whole", false);
        RewardTraining stopped = training(model, 5, 4, "split");
        // A listener that stops the run after step 3, as a kill would: the checkpoint of step 2 is the last one.
        assertThrows(IllegalStateException.class, () -> stopped.run(false, (s, l, a) -> {
            if (s == 3) {
                throw new IllegalStateException("stopped");
            }
        }, QUIET));
        assertEquals("step 2", Files.readAllLines(dir.resolve("split/checkpoint/state.txt")).get(0));
        Map<String, Safetensors.Tensor> resumed = train(model, 5, 4, "split", true);
        assertSameWeights(whole, resumed);
        List<String> a = Files.readAllLines(dir.resolve("whole/loss.csv"));
        assertEquals(5, a.size());
        assertEquals(a, Files.readAllLines(dir.resolve("split/loss.csv")));
    }
}
