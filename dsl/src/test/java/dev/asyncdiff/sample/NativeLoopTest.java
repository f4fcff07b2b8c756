package dev.asyncdiff.sample;

import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.schedule.UniformGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop keeps its tensors native: what crosses to Java, and when; the conditioning joined once; grad mode. */
class NativeLoopTest {
    private static final int STEPS = 4;
    private static TinyFlowModel tiny;

    @BeforeAll
    static void load() {
        tiny = TinyFlowModel.load();
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    private static SamplerSettings settings(boolean recordStates) {
        return new SamplerSettings(new UniformGrid().times(STEPS), new ClassifierFreeGuidance(5.0),
                Policies.fixed(0.3), SamplingMode.ASYNC,
                new AsyncRule(DeviationBound.HALF, 1.0, AsyncRule.DEFAULT_SIGMA_MIN), Solver.EULER, LatentClock.GRID,
                recordStates);
    }

    private static SampledBatch sample(FlowModel model, SamplerSettings s, StepCallback callback) {
        List<String> prompts = List.of("a red circle", "two blue squares");
        SampleStream[] random = {new SampleStream(7, 0), new SampleStream(7, 1)};
        float[][] x = {random[0].gaussianVector(model.latentSize()), random[1].gaussianVector(model.latentSize())};
        return new Sampler(model, s).run(x, model.encode(prompts), prompts, random, new int[] {0, 1}, callback);
    }

    @Test
    void withoutACallbackThatReadsOrRecordedStatesOnlyTheResultIsCopiedToJava() {
        long before = Latents.copiesToJava();
        sample(tiny, settings(false), StepCallback.NONE);
        assertEquals(1, Latents.copiesToJava() - before, "one copy: the final latents");
    }

    @Test
    void aCallbackThatReadsTheLatentPaysOneCopyPerStepAndSeesWhatTheResultHolds() {
        List<float[][]> seen = new ArrayList<>();
        long before = Latents.copiesToJava();
        SampledBatch b = sample(tiny, settings(false), e -> {
            seen.add(e.x());
            return true;
        });
        assertEquals(STEPS, Latents.copiesToJava() - before, "the last step's copy is the result's too");
        assertEquals(STEPS, seen.size());
        assertArrayEquals(b.x()[1], seen.get(STEPS - 1)[1]);
    }

    @Test
    void recordedStatesAreTheStepsTensorsAndSatisfyTheCleanPredictionIdentity() {
        SampledBatch b = sample(tiny, settings(true), StepCallback.NONE);
        List<StepState> states = b.trajectories().get(0).states();
        assertEquals(STEPS, states.size());
        List<TrajectoryStep> steps = b.trajectories().get(0).steps();
        for (int k = 0; k < STEPS; k++) {
            StepState s = states.get(k);
            float t = (float) steps.get(k).t();
            for (int j = 0; j < s.x().length; j += 97) {
                assertEquals(s.x()[j] + (-t) * s.v()[j], s.x0()[j], 0f, "x0 = x - t v at step " + k);
            }
        }
    }

    @Test
    void theClassifierFreeRowsAreJoinedOncePerBatch() {
        GmmFlowModel gmm = new GmmFlowModel(SamplerTest.SPEC);
        int[] joins = {0};
        FlowModel counting = new SamplerTest.DelegatingModel(gmm) {
            @Override
            public Conditioning encode(List<String> prompts) {
                return new Counted(gmm.encode(prompts), joins);
            }

            @Override
            public Conditioning unconditional(int n) {
                return new Counted(gmm.unconditional(n), joins);
            }

            @Override
            public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
                return gmm.velocity(x, t, ((Counted) c).inner());
            }
        };
        Pipeline.of(counting, "counting").steps(6).guidance(3).generate("1", 2);
        assertEquals(1, joins[0]);
    }

    @Test
    void gradModeIsOffInsideTheLoopAndRestoredAfterIt() {
        boolean[] during = {true};
        GmmFlowModel gmm = new GmmFlowModel(SamplerTest.SPEC);
        FlowModel probe = new SamplerTest.DelegatingModel(gmm) {
            @Override
            public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
                during[0] &= !JniUtils.isGradMode();
                return gmm.velocity(x, t, c);
            }
        };
        Pipeline p = Pipeline.of(probe, "probe").steps(3).guidance(2);
        boolean previous = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(true);
            p.generate("0", 1);
            assertTrue(JniUtils.isGradMode(), "restored to on");
            JniUtils.setGradMode(false);
            p.generate("0", 1);
            assertFalse(JniUtils.isGradMode(), "restored to off");
        } finally {
            JniUtils.setGradMode(previous);
        }
        assertTrue(during[0], "every evaluation ran without autograd");
    }

    /** A conditioning that counts how often it is joined with another. */
    private record Counted(Conditioning inner, int[] joins) implements Conditioning {
        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public Conditioning concat(Conditioning other) {
            joins[0]++;
            return new Counted(inner.concat(((Counted) other).inner()), joins);
        }
    }
}
