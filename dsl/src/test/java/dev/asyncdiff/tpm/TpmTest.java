package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.policy.BetaDistribution;
import dev.asyncdiff.policy.PolicyInput;
import dev.asyncdiff.sample.SampleStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpmTest {
    private NDManager manager;
    private FlowModel tiny;

    @TempDir
    Path dir;

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager();
        tiny = Pipeline.tiny().model();
    }

    @AfterAll
    void close() {
        manager.close();
    }

    private Tpm random(long seed) {
        Tpm t = Tpm.initialize(manager, TpmConfig.forModel("tiny", tiny), seed);
        Random r = new Random(seed);
        for (NDArray a : t.params().all().values()) {
            float[] v = new float[(int) a.getShape().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.1 * r.nextGaussian());
            }
            a.set(v);
        }
        return t;
    }

    /** A step-3 input of a 10-step uniform grid for the given prompts, with seeded latents. */
    private PolicyInput input(List<String> prompts, long seed) {
        int b = prompts.size();
        int d = tiny.latentSize();
        float[][] x = new float[b][];
        float[][] v = new float[b][];
        float[][] x0 = new float[b][];
        double[] tPrev = new double[b];
        SampleStream[] streams = new SampleStream[b];
        int[] samples = new int[b];
        for (int i = 0; i < b; i++) {
            SampleStream s = new SampleStream(seed, i);
            x[i] = s.gaussianVector(d);
            v[i] = s.gaussianVector(d);
            x0[i] = s.gaussianVector(d);
            tPrev[i] = 0.75 + 0.01 * i;
            streams[i] = new SampleStream(seed + 1, i);
            samples[i] = i;
        }
        double[] grid = new double[11];
        for (int k = 0; k <= 10; k++) {
            grid[k] = 1 - k / 10.0;
        }
        return new PolicyInput(3, grid, x, v, tPrev, x0, tiny.encode(prompts), streams, samples, prompts);
    }

    @Test
    void theTinyTpmIsSmall() {
        long n = Tpm.initialize(manager, TpmConfig.forModel("tiny", tiny), 1).params().count();
        assertTrue(n <= 2_000_000, n + " parameters");
    }

    @Test
    void anUntrainedTpmIsSynchronousSoItSamplesExactlyLikeSync() {
        TpmPolicy p = TpmPolicy.of(Tpm.initialize(manager, TpmConfig.forModel("tiny", tiny), 1), "tiny", tiny,
                TpmPolicy.Choice.MODE, "tpm:fresh");
        for (BetaDistribution d : p.distributions(input(List.of("a red circle", "two stars"), 3))) {
            assertEquals(new BetaDistribution(2, 2), d); // (a, b) = (0, 0), φ(0) = 2
        }
        Pipeline base = Pipeline.tiny().steps(4).seed(9);
        Generation sync = base.generate(List.of("a red circle"), 2);
        Generation tpm = base.async(p).generate(List.of("a red circle"), 2);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(sync.xFinal()[i], tpm.xFinal()[i]);
        }
    }

    @Test
    void theDecisionDependsOnTheInputsButNotOnMaskedPadding() {
        TpmPolicy p = TpmPolicy.of(random(5), "tiny", tiny, TpmPolicy.Choice.MODE, "tpm:random");
        PolicyInput in = input(List.of("a red circle", "a blue circle"), 3);
        double[] r = p.decide(in);
        assertNotEquals(r[0], r[1], "another prompt, another decision");
        var c = (dev.asyncdiff.model.tiny.TinyConditioning) in.condition();
        float[][] tokens = c.tokens().clone();
        tokens[0] = tokens[0].clone();
        int valid = 0;
        while (c.mask()[0][valid] == 1f) {
            valid++;
        }
        for (int j = valid * 128; j < tokens[0].length; j++) {
            tokens[0][j] = 42f; // padding positions only
        }
        PolicyInput padded = new PolicyInput(in.step(), in.grid(), in.x(), in.previousVelocity(), in.previousTCond(),
                in.previousX0(), new dev.asyncdiff.model.tiny.TinyConditioning(tokens, c.mask(), c.pooled(),
                c.words()), in.random(), in.samples(), in.prompts());
        assertEquals(r[0], p.decide(padded)[0], 1e-6);
    }

    @Test
    void aSampledDecisionIsTheSameAloneOrInABatch() {
        TpmPolicy p = TpmPolicy.of(random(6), "tiny", tiny, TpmPolicy.Choice.SAMPLE, "tpm:random");
        double both = p.decide(input(List.of("a star", "a cross"), 4))[0];
        double alone = p.decide(input(List.of("a star"), 4))[0];
        assertEquals(both, alone, 1e-6);
    }

    @Test
    void aSavedTpmLoadsBackAndRefusesAnotherBackbone() throws Exception {
        Tpm t = random(7);
        t.save(dir);
        Tpm back = Tpm.load(manager, dir);
        assertEquals(t.config(), back.config());
        PolicyInput in = input(List.of("a green square"), 2);
        assertArrayEquals(TpmPolicy.of(t, "tiny", tiny, TpmPolicy.Choice.MODE, "a").decide(in),
                TpmPolicy.of(back, "tiny", tiny, TpmPolicy.Choice.MODE, "b").decide(in));
        FlowModel gmm = Pipeline.gmm(new GmmSpec(new double[] {1}, new double[][] {{0, 0}}, new double[] {1}))
                .model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TpmPolicy.of(back, "gmm", gmm, TpmPolicy.Choice.MODE, "x"));
        assertTrue(e.getMessage().startsWith("this TPM was built for backbone tiny"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tpm.load(manager, dir.resolve("nothing")));
    }
}
