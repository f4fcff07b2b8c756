package dev.asyncdiff.bench;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.tiny.DiTArchitecture;
import dev.asyncdiff.model.tiny.RandomTinyModel;
import dev.asyncdiff.model.tiny.ShippedTinyModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiny model's velocity agrees with bench/tiny_reference.py, an independent PyTorch implementation, on 4
 * prompts and 2 null-condition rows: the shipped weights, and random weights of each DiT architecture (every
 * gate and output non-zero, so all paths count). Needs Debian's python3-torch: without it the test fails, saying
 * what to install (CI installs it).
 */
class TinyParityTest {
    @TempDir
    static Path dir;

    static TinyParity.Result result;

    @BeforeAll
    static void compareWithTheReference() throws IOException {
        result = TinyParity.run(ShippedTinyModel.get(), PythonReference.locate(), 4, 2, 7, dir);
    }

    @ParameterizedTest
    @EnumSource(names = {"SHARED", "PER_BLOCK"})
    void randomWeightsOfEachModulationMatchTheReference(DiTArchitecture.Modulation modulation) throws IOException {
        for (DiTArchitecture.Positions positions : DiTArchitecture.Positions.values()) {
            DiTArchitecture arch = new DiTArchitecture(modulation, positions);
            try (NDManager manager = NDManager.newBaseManager()) {
                Path out = Files.createDirectories(dir.resolve(arch.toString()));
                TinyParity.Result r = TinyParity.run(RandomTinyModel.create(manager, arch, 11),
                        PythonReference.locate(), 3, 1, 5, out);
                assertTrue(r.perSample().maxRel() <= TinyParity.TARGET, arch + ": " + r.perSample());
                assertTrue(r.perToken().maxRel() <= TinyParity.TARGET, arch + ": " + r.perToken());
                assertTrue(r.attention().maxAbs() <= TinyParity.TARGET, arch + ": " + r.attention());
            }
        }
    }

    /**
     * The timed sampling runs compare the network the Java side runs: random second-generation weights (which the
     * reference would otherwise replace with the shipped file) sample the same latents on both sides.
     */
    @Test
    void theThroughputRunsSampleTheSameNetworkOnBothSides() throws IOException {
        DiTArchitecture arch = new DiTArchitecture(DiTArchitecture.Modulation.PER_BLOCK,
                DiTArchitecture.Positions.SINCOS);
        try (NDManager manager = NDManager.newBaseManager()) {
            Path out = Files.createDirectories(dir.resolve("throughput"));
            TinyThroughput.Result r = TinyThroughput.run(RandomTinyModel.create(manager, arch, 13),
                    PythonReference.locate(), 3, 2, 1, 5, out);
            assertTrue(r.sampled().maxRel() <= TinyParity.TARGET, "sampled latents: " + r.sampled());
        }
    }

    @Test
    void velocityWithPerSampleTimesMatchesTheReference() {
        assertTrue(result.perSample().maxRel() <= TinyParity.TARGET, result.perSample().toString());
    }

    @Test
    void velocityWithPerTokenTimesMatchesTheReference() {
        assertTrue(result.perToken().maxRel() <= TinyParity.TARGET, result.perToken().toString());
    }

    @Test
    void crossAttentionMapsMatchTheReference() {
        assertTrue(result.attention().maxAbs() <= TinyParity.TARGET, result.attention().toString());
    }
}
