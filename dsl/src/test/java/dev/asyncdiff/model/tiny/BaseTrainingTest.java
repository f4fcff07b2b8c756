package dev.asyncdiff.model.tiny;

import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.model.Timesteps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A few steps of training on tiny batches: the loop runs end to end, resuming continues it exactly, and the export
 * loads as a model.
 */
class BaseTrainingTest {
    @TempDir
    Path dir;

    private static BaseTraining.Options options(Path out, int ditSteps, boolean resume) {
        return options(out, ditSteps, resume, BaseTraining.InitialWeights.FRESH);
    }

    private static BaseTraining.Options options(Path out, int ditSteps, boolean resume,
                                                BaseTraining.InitialWeights init) {
        DiTArchitecture arch = init instanceof BaseTraining.InitialWeights.Shipped ? DiTArchitecture.V1
                : DiTArchitecture.V2; // the shipped weights are of the first generation
        return new BaseTraining.Options(out, 5, resume, 10, 2, 2, 1e-3f, 8, ditSteps, 4, 4e-4f, 2, 0.1, 0.2, 0.5, 10,
                init, false, arch, SceneSampler.UNSTATED_PLAIN, 0);
    }

    private static Map<String, Safetensors.Tensor> weights(Path folder) throws IOException {
        return Safetensors.decode(Files.readAllBytes(folder.resolve(TinyNetworks.WEIGHTS)));
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
        weights(resumed).forEach((name, t) -> {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), name + " holds a non-finite weight");
            }
        });
    }

    @Test
    void aCheckpointCarriedWithoutItsLatentPoolResumesToTheSameWeights() throws IOException {
        Path whole = train(options(dir.resolve("whole"), 4, false));
        Path split = dir.resolve("split");
        train(options(split, 2, false));
        String name = Files.readString(split.resolve("latest")).strip();
        Path carried = Files.createDirectories(dir.resolve("carried").resolve(name));
        try (var files = Files.list(split.resolve(name))) {
            for (Path f : files.toList()) {
                Files.copy(f, carried.resolve(f.getFileName()));
                assertTrue(Files.size(f) < 25L << 20, f + " must stay under 25 MB to be committed");
            }
        }
        Files.copy(split.resolve("latest"), dir.resolve("carried/latest"));
        Path resumed = train(options(dir.resolve("carried"), 4, true));
        assertArrayEquals(Files.readAllBytes(whole.resolve(TinyNetworks.WEIGHTS)),
                Files.readAllBytes(resumed.resolve(TinyNetworks.WEIGHTS)));
    }

    @Test
    void aRunFromExportedWeightsKeepsTheirAutoencoderAndLatentScaleAndTrainsTheRest() throws IOException {
        Path first = train(options(dir.resolve("first"), 2, false));
        Path second = train(options(dir.resolve("second"), 2, false, new BaseTraining.InitialWeights.Folder(first)));
        Map<String, Safetensors.Tensor> before = weights(first);
        Map<String, Safetensors.Tensor> after = weights(second);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            boolean same = Arrays.equals(before.get(name).data(), after.get(name).data());
            if (name.startsWith("ae.")) {
                assertTrue(same, name + " must be kept");
            }
        }
        assertFalse(Arrays.equals(before.get("dit.patch.w").data(), after.get("dit.patch.w").data()),
                "the DiT trains on");
        assertFalse(Arrays.equals(before.get("text.embed").data(), after.get("text.embed").data()),
                "the text encoder trains on");
    }
}
