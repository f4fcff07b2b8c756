package dev.asyncdiff.model.tiny;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few steps of training on tiny batches: the loop runs end to end, and resuming continues it exactly. */
class BaseTrainingTest {
    @TempDir
    Path dir;

    private static BaseTraining.Options options(Path out, int ditSteps, boolean resume) {
        return new BaseTraining.Options(out, 5, resume, 10, 2, 2, 1e-3f, 8, ditSteps, 4, 4e-4f, 2, 0.1, 0.2, 10);
    }

    private static Path train(BaseTraining.Options o) throws IOException {
        return new BaseTraining(o, new PrintStream(new ByteArrayOutputStream())).run();
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        Path whole = train(options(dir.resolve("whole"), 4, false));
        train(options(dir.resolve("split"), 2, false));
        assertEquals("ckpt-dit-000002", Files.readString(dir.resolve("split/latest")).strip());
        Path resumed = train(options(dir.resolve("split"), 4, true));
        assertArrayEquals(Files.readAllBytes(whole.resolve(TinyNetworks.WEIGHTS)),
                Files.readAllBytes(resumed.resolve(TinyNetworks.WEIGHTS)));
    }

    @Test
    void theExportedModelLoadsAndSamples() throws IOException {
        Path fin = train(options(dir.resolve("run"), 2, false));
        try (TinyFlowModel m = TinyFlowModel.load(fin)) {
            assertEquals(1024, m.velocity(new float[1][1024],
                    new dev.asyncdiff.model.Timesteps.PerSample(new double[] {0.5}),
                    m.encode(java.util.List.of("a red circle")))[0].length);
            assertTrue(m.decoder().orElseThrow().decode(new float[1024]).getWidth() == 64);
        }
    }
}
