package dev.asyncdiff.rl;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.reward.HighFrequencyNoise;
import dev.asyncdiff.reward.OracleReward;
import dev.asyncdiff.reward.Reward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TpmTrainingTest {
    private static final List<String> PROMPTS = List.of("a red circle", "two blue squares", "a star");
    private static final List<Reward> REWARDS = List.of(OracleReward.DENSE, new HighFrequencyNoise());

    @TempDir
    Path dir;

    private static TpmTraining training(Path out) {
        return new TpmTraining(Pipeline.tiny().steps(3), "tiny", PROMPTS, REWARDS,
                new Grpo.Options(4, 2, 1e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0), 5, out, 1);
    }

    private static Path run(Path out, int iterations, boolean resume) throws IOException {
        return training(out).run(iterations, resume, (it, means) -> { },
                new PrintStream(new ByteArrayOutputStream()));
    }

    /** log.csv without the timing columns, which no two runs share. */
    private static List<String> withoutTimings(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",")));
            int first = TpmTraining.COLUMNS.indexOf("seconds_rollout");
            f.subList(first, first + 3).clear();
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void aResumedRunLogsTheSameIterationsAndEndsWithTheSameTpm() throws IOException {
        Path whole = run(dir.resolve("whole"), 3, false);
        run(dir.resolve("split"), 2, false);
        Path resumed = run(dir.resolve("split"), 3, true);
        assertEquals(withoutTimings(dir.resolve("whole/log.csv")), withoutTimings(dir.resolve("split/log.csv")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("tpm.safetensors")),
                Files.readAllBytes(resumed.resolve("tpm.safetensors")));
        List<String> log = Files.readAllLines(dir.resolve("whole/log.csv"));
        assertEquals(String.join(",", TpmTraining.COLUMNS) + ",reward_oracle_mean,reward_hf-noise_mean", log.get(0));
        assertEquals(4, log.size());
        for (String row : log.subList(1, log.size())) {
            double ratioDevFirst = Double.parseDouble(row.split(",")[TpmTraining.COLUMNS.indexOf("ratio_dev_first")]);
            assertEquals(0.0, ratioDevFirst, 1e-4, "on-policy (float replay of the double-precision rollout): " + row);
        }
    }

    @Test
    void everyPromptIsDrawnOnceAnEpoch() {
        TpmTraining t = training(dir.resolve("x"));
        for (int epoch = 0; epoch < 3; epoch++) {
            var seen = new HashSet<String>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                seen.add(t.promptOf(epoch * PROMPTS.size() + i));
            }
            assertEquals(new HashSet<>(PROMPTS), seen);
        }
        assertTrue(!List.of(t.promptOf(0), t.promptOf(1), t.promptOf(2)).equals(List.of(t.promptOf(3), t.promptOf(4),
                t.promptOf(5))) || !List.of(t.promptOf(3), t.promptOf(4), t.promptOf(5)).equals(
                List.of(t.promptOf(6), t.promptOf(7), t.promptOf(8))), "epochs are reshuffled");
    }
}
