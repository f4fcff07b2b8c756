package dev.asyncdiff.rl;

import com.google.gson.JsonParser;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.model.tiny.ShippedWeightsDigest;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.nn.CollectionStorm;
import dev.asyncdiff.reward.HighFrequencyNoise;
import dev.asyncdiff.reward.OracleReward;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TpmTrainingTest {
    private static final PromptSet PROMPTS = PromptSets.load("shapes:all:train:3");
    private static final List<Reward> REWARDS = List.of(OracleReward.DENSE, new HighFrequencyNoise());

    @TempDir
    Path dir;

    private static final Grpo.Options OPTIONS = new Grpo.Options(4, 2, 1e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0, 0);

    private static TpmTraining training(Path out, Grpo.Options options) {
        return new TpmTraining(Pipeline.tiny().steps(3), "tiny", PROMPTS, REWARDS, options, 5, out, 1);
    }

    private static Path run(Path out, Grpo.Options options, int iterations, boolean resume) throws IOException {
        return training(out, options).run(iterations, resume, r -> { }, new PrintStream(new ByteArrayOutputStream()));
    }

    /** log.csv without the timing columns, which no two runs share. */
    private static List<String> withoutTimings(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(",")));
            int first = TrainingLog.COLUMNS.indexOf("seconds_rollout");
            f.subList(first, first + 3).clear();
            out.add(String.join(",", f));
        }
        return out;
    }

    @ParameterizedTest(name = "KL penalty {0}, advantage clip {1}")
    @CsvSource({"0, Infinity", "0.5, 1.0"})
    void aResumedRunLogsTheSameIterationsAndEndsWithTheSameTpm(double kl, double advantageClip) throws IOException {
        Grpo.Options options = OPTIONS.withKl(kl).withAdvantageClip(advantageClip);
        Path whole = run(dir.resolve("whole"), options, 3, false);
        run(dir.resolve("split"), options, 2, false);
        Path resumed = run(dir.resolve("split"), options, 3, true);
        assertEquals(withoutTimings(dir.resolve("whole/log.csv")), withoutTimings(dir.resolve("split/log.csv")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("tpm.safetensors")),
                Files.readAllBytes(resumed.resolve("tpm.safetensors")));
        List<String> log = Files.readAllLines(dir.resolve("whole/log.csv"));
        assertEquals(String.join(",", TrainingLog.COLUMNS) + (kl > 0 ? "," + TrainingLog.KL_COLUMN : "")
                + ",reward_oracle_mean,reward_hf-noise_mean", log.get(0));
        if (kl > 0) {
            int column = TrainingLog.COLUMNS.size();
            // the first iteration starts at the initial policy, whose first mini-batch has KL exactly 0
            double first = Double.parseDouble(log.get(1).split(",")[column]);
            double last = Double.parseDouble(log.get(3).split(",")[column]);
            assertTrue(first >= 0 && last > 0, "kl_init " + first + " then " + last);
        }
        assertEquals(4, log.size());
        for (String row : log.subList(1, log.size())) {
            double ratioDevFirst = Double.parseDouble(row.split(",")[TrainingLog.COLUMNS.indexOf("ratio_dev_first")]);
            assertEquals(0.0, ratioDevFirst, 1e-4, "on-policy (float replay of the double-precision rollout): " + row);
        }
    }

    /**
     * Garbage collections while the graph waits for backward must not change a run (they did before every number in a
     * differentiable expression lived in PyTorch's memory: {@code NativeData}, {@code Ops.scaled}); with the KL
     * penalty, whose weight multiplies the loss.
     */
    @Test
    void collectionsDuringTrainingDoNotChangeTheTrainedTpm() throws Exception {
        Grpo.Options options = OPTIONS.withKl(0.5);
        byte[] quiet = Files.readAllBytes(run(dir.resolve("quiet"), options, 3, false).resolve("tpm.safetensors"));
        try (CollectionStorm ignored = new CollectionStorm()) {
            for (int i = 0; i < 3; i++) {
                Path stormy = run(dir.resolve("storm" + i), options, 3, false);
                assertArrayEquals(quiet, Files.readAllBytes(stormy.resolve("tpm.safetensors")), "run " + i);
            }
        }
    }

    @Test
    void aListenerHearsWhereTheRunStartsAndEveryIterationAsLogged() throws IOException {
        Path out = dir.resolve("listened");
        run(out, OPTIONS, 1, false);
        List<String> events = new ArrayList<>();
        List<TrainingListener.Record> records = new ArrayList<>();
        training(out, OPTIONS).run(3, true, new TrainingListener() {
            @Override
            public void started(int done, int total) {
                events.add("started " + done + " of " + total);
            }

            @Override
            public void iteration(Record record) {
                events.add("iteration " + record.grpo().iteration() + " of " + record.total());
                records.add(record);
            }
        }, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(List.of("started 1 of 3", "iteration 1 of 3", "iteration 2 of 3"), events);
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        List<String> header = List.of(log.get(0).split(","));
        for (TrainingListener.Record r : records) {
            String[] row = log.get(r.grpo().iteration() + 1).split(",");
            assertEquals(List.of("oracle", "hf-noise"), List.copyOf(r.rewardMeans().keySet()));
            for (String name : r.rewardMeans().keySet()) {
                assertEquals(Double.parseDouble(row[header.indexOf("reward_" + name + "_mean")]),
                        r.rewardMeans().get(name), 1e-5 * Math.max(1, Math.abs(r.rewardMeans().get(name))));
            }
            assertEquals(Double.parseDouble(row[header.indexOf("mean_deviation")]), r.grpo().meanDeviation(), 1e-6);
        }
    }

    @Test
    void theTrainedTpmAndItsCheckpointRecordHowTheyWereTrained() throws Exception {
        Path out = dir.resolve("recorded");
        TpmProvenance r = Tpm.readProvenance(run(out, OPTIONS, 2, false)).orElseThrow();
        assertEquals(new WeightsIdentity("shipped", ShippedWeightsDigest.sha256()), r.weights());
        assertEquals(DeviationBound.HALF, r.bound());
        assertEquals(2, r.iterations());
        assertEquals(JsonParser.parseString("{\"prompts\": \"shapes:all:train:3\", \"rewards\": [\"oracle\", "
                + "\"hf-noise\"], \"schedule\": \"uniform\", \"steps\": 3, \"guidance\": \"cfg:5.0\", \"gamma\": 1, "
                + "\"seed\": 5, \"group\": 4, \"minibatch\": 2, \"lr\": 0.001, \"clip\": 0.2, \"advClip\": \"off\", "
                + "\"gradientClip\": 1, \"kl\": 0}"), r.recipe());
        assertEquals(Optional.of(r), Tpm.readProvenance(out.resolve("checkpoint")));
    }

    @Test
    void resumingWithOtherSettingsIsRefusedBeforeAnythingTrains() throws IOException {
        Path out = dir.resolve("refused");
        run(out, OPTIONS, 1, false);
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        Grpo.Options faster = new Grpo.Options(4, 2, 3e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TpmTraining(
                Pipeline.tiny().steps(3).liftedBound(), "tiny", PROMPTS, REWARDS, faster, 5, out, 1)
                .run(2, true, r -> { }, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("cannot resume the checkpoint in " + out.resolve("checkpoint") + " with other settings (bound: "
                + "\"half\", now \"lifted\"; lr: 0.001, now 0.003); resume with its settings, or train into a new "
                + "--out", e.getMessage());
        assertEquals(log, Files.readAllLines(out.resolve("log.csv")), "nothing trained");
    }

    @Test
    void aTimeLimitStopsAfterAnIterationWithACheckpointThatResumes() throws IOException {
        Path out = dir.resolve("limited");
        Path fin = training(out, OPTIONS).run(3, Duration.ZERO, false, r -> { },
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals("1", Files.readString(out.resolve("checkpoint/state.txt")).strip());
        assertEquals(1, Tpm.readProvenance(fin).orElseThrow().iterations());
        assertEquals(2, Files.readAllLines(out.resolve("log.csv")).size());
        run(out, OPTIONS, 3, true);
        assertEquals(3, Tpm.readProvenance(fin).orElseThrow().iterations());
        assertEquals(4, Files.readAllLines(out.resolve("log.csv")).size());
    }

    @Test
    void everyPromptIsDrawnOnceAnEpoch() {
        TpmTraining t = training(dir.resolve("x"), OPTIONS);
        for (int epoch = 0; epoch < 3; epoch++) {
            var seen = new HashSet<String>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                seen.add(t.promptOf(epoch * PROMPTS.size() + i));
            }
            assertEquals(new HashSet<>(PROMPTS.prompts()), seen);
        }
        assertTrue(!List.of(t.promptOf(0), t.promptOf(1), t.promptOf(2)).equals(List.of(t.promptOf(3), t.promptOf(4),
                t.promptOf(5))) || !List.of(t.promptOf(3), t.promptOf(4), t.promptOf(5)).equals(
                List.of(t.promptOf(6), t.promptOf(7), t.promptOf(8))), "epochs are reshuffled");
    }
}
