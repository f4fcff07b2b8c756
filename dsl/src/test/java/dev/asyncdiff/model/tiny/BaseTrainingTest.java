package dev.asyncdiff.model.tiny;

import dev.asyncdiff.model.Timesteps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A few steps of training on tiny batches: the loop runs end to end, resuming continues it exactly, and the export
 * loads as a model.
 */
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
        try (TinyFlowModel m = TinyFlowModel.load(resumed)) {
            float[][] v = m.velocity(new float[1][1024], new Timesteps.PerSample(new double[] {0.5}),
                    m.encode(List.of("a red circle")));
            assertEquals(1024, v[0].length);
            assertEquals(64, m.decoder().orElseThrow().decode(new float[1024]).getWidth());
        }
    }
}
