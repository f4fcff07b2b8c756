package dev.asyncdiff.eval;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.SamplingMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sync, 1.0, HALF, ASYNC",
            "fixed:0.3, 1.0, HALF, ASYNC",
            "fixed:0.3:gamma=2, 2.0, HALF, ASYNC",
            "fixed:0.3:lifted, 1.0, LIFTED, ASYNC",
            "fixed:0.3:half, 1.0, HALF, ASYNC",
            "fixed:0.2:velocity-scale, 1.0, HALF, VELOCITY_SCALE",
            "fixed:-0.1:lifted:gamma=0.5, 0.5, LIFTED, ASYNC",
    })
    void aMethodStringSetsPolicyGammaBoundAndMode(String spec, double gamma, DeviationBound bound,
                                                  SamplingMode mode) {
        Method m = Method.parse(spec);
        assertEquals(spec, m.spec());
        assertEquals(gamma, m.gamma());
        assertEquals(bound, m.bound());
        assertEquals(mode, m.mode());
        assertEquals(spec.startsWith("sync") ? "sync" : "fixed:" + spec.split(":")[1], m.policy());
        assertEquals(spec.startsWith("sync"), m.synchronous());
        assertEquals(spec.startsWith("sync") ? null : Double.parseDouble(spec.split(":")[1]),
                m.fixedDeviation().isPresent() ? m.fixedDeviation().getAsDouble() : null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fixed", "fixed:x", "fixed:0.3:gamma=-1", "fixed:0.3:gamma=", "fixed:0.3:foo",
            "fixed:0.3:lifted:lifted", "fixed:0.3:half:lifted", "sometimes", "sync:gamma=2:gamma=3", "sync:solver=rk4",
            "fixed:0.3:solver=heun:solver=euler", "fixed:0.2:velocity-scale:solver=dpmpp2m"})
    void aMalformedMethodIsRefusedWithTheGrammar(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse(spec));
        assertTrue(e.getMessage().startsWith("method '" + spec + "' is not " + Method.GRAMMAR), e.getMessage());
    }

    @Test
    void aTpmMethodNeedsAFolderHoldingATpm(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Method.parse("tpm:" + dir + ":gamma=2"));
        assertTrue(e.getMessage().contains("holds no TPM"), e.getMessage());
    }

    @Test
    void aTrainedTpmIsAMethodLikeAnyOther(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Pipeline base = Pipeline.tiny().steps(3).seed(2);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            dev.asyncdiff.tpm.Tpm.initialize(m, dev.asyncdiff.tpm.TpmConfig.forModel("tiny", base.model()), 1)
                    .save(dir);
        }
        Method tpm = Method.parse("tpm:" + dir + ":gamma=2");
        assertEquals(2.0, tpm.gamma());
        assertTrue(tpm.fixedDeviation().isEmpty() && !tpm.synchronous());
        // an untrained TPM chooses r = 0.5: whatever γ, it samples like sync
        assertArrayEquals(base.generate(List.of("a star"), 1).xFinal()[0],
                tpm.applyTo(base).generate(List.of("a star"), 1).xFinal()[0]);
    }

    @Test
    void aTpmMethodSamplesUnderTheBoundItWasTrainedUnderUnlessItNamesOne(@org.junit.jupiter.api.io.TempDir
                                                                         java.nio.file.Path dir) throws Exception {
        Pipeline base = Pipeline.tiny();
        java.nio.file.Path lifted = dir.resolve("lifted");
        java.nio.file.Path unrecorded = dir.resolve("unrecorded");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            dev.asyncdiff.tpm.Tpm t = dev.asyncdiff.tpm.Tpm.initialize(m,
                    dev.asyncdiff.tpm.TpmConfig.forModel("tiny", base.model()), 1);
            t.save(unrecorded);
            t.withProvenance(new dev.asyncdiff.tpm.TpmProvenance(null, DeviationBound.LIFTED, 1,
                    new com.google.gson.JsonObject())).save(lifted);
        }
        assertEquals(DeviationBound.LIFTED, Method.parse("tpm:" + lifted).bound());
        assertEquals(DeviationBound.LIFTED, Method.parse("tpm:" + lifted).applyTo(base).bound());
        assertEquals(DeviationBound.HALF, Method.parse("tpm:" + lifted + ":half").applyTo(base).bound());
        assertEquals(DeviationBound.LIFTED, Method.parse("tpm:" + lifted + ":gamma=2:lifted").bound());
        assertEquals(DeviationBound.HALF, Method.parse("tpm:" + unrecorded).bound());
    }

    @Test
    void aMethodNamingASolverOverridesTheEvaluationsAndOneNamingNoneKeepsIt() {
        GmmSpec spec = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 0}, {2, 1}}, new double[] {0.5, 0.5});
        Pipeline base = Pipeline.gmm(spec).steps(6).seed(5).solver(dev.asyncdiff.sample.Solver.DPMPP_2M);
        Method heun = Method.parse("fixed:0.3:solver=heun");
        assertEquals(java.util.Optional.of(dev.asyncdiff.sample.Solver.HEUN), heun.solver());
        assertEquals(dev.asyncdiff.sample.Solver.HEUN, heun.applyTo(base).solver());
        assertEquals(dev.asyncdiff.sample.Solver.DPMPP_2M, Method.parse("fixed:0.3").applyTo(base).solver());
        assertArrayEquals(base.solver("heun").async(Policies.fixed(0.3)).generate("0", 1).xFinal()[0],
                heun.applyTo(base).generate("0", 1).xFinal()[0]);
    }

    @Test
    void applyingAMethodSamplesLikeThePipelineBuiltByHand() {
        GmmSpec spec = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 0}, {2, 1}}, new double[] {0.5, 0.5});
        Pipeline base = Pipeline.gmm(spec).steps(6).seed(5);
        Generation viaMethod = Method.parse("fixed:0.3:gamma=2:lifted").applyTo(base).generate(List.of("0", "1"), 2);
        Generation byHand = base.async(Policies.fixed(0.3)).gamma(2).liftedBound().generate(List.of("0", "1"), 2);
        for (int i = 0; i < viaMethod.size(); i++) {
            assertArrayEquals(byHand.xFinal()[i], viaMethod.xFinal()[i]);
        }
        Generation sync = base.generate(List.of("0", "1"), 2);
        assertTrue(!java.util.Arrays.equals(sync.xFinal()[0], viaMethod.xFinal()[0]), "the method changes sampling");
    }

    @Test
    void anAsynDmModifierTakesTheStrengthAndMaskModeAfterItAndOverridesTheEvaluationsClock() {
        Method m = Method.parse("sync:asyndm=piecewise:0.5:fixed:solver=heun");
        assertEquals(java.util.Optional.of(dev.asyncdiff.asyndm.AsynDm.parse("piecewise:0.5:fixed")), m.asynDm());
        assertEquals(java.util.Optional.of(dev.asyncdiff.sample.Solver.HEUN), m.solver());
        assertEquals(dev.asyncdiff.asyndm.AsynDm.parse("quadratic:everywhere"),
                Method.parse("fixed:0.2:asyndm=quadratic:everywhere").applyTo(Pipeline.tiny()).clock());
        Pipeline withAsynDm = Pipeline.tiny().asynDM();
        assertEquals(withAsynDm.clock(), Method.parse("sync").applyTo(withAsynDm).clock(), "no modifier keeps it");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Method.parse("sync:asyndm=quadratic:3"));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    @Test
    void aMaskThresholdModifierSetsTheAsynDmRulesMultiple() {
        Method m = Method.parse("sync:asyndm=quadratic:0.7:mask-threshold=2");
        assertEquals(2.0, m.asynDm().orElseThrow().threshold(), 0.0);
        assertEquals(dev.asyncdiff.asyndm.AsynDm.parse("quadratic:0.7").withThreshold(2), m.asynDm().orElseThrow());
        for (String bad : new String[] {"sync:mask-threshold=2", "sync:asyndm=quadratic:everywhere:mask-threshold=2",
                "sync:asyndm=quadratic:mask-threshold=0", "sync:asyndm=quadratic:mask-threshold=x"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Method.parse(bad), bad);
            assertTrue(e.getMessage().contains("mask-threshold") || e.getMessage().contains("mask threshold"),
                    bad + ": " + e.getMessage());
        }
    }

    @Test
    void aMaxDisparityModifierSetsTheAsynDmLimit() {
        assertEquals(0.05, Method.parse("sync:asyndm=quadratic:0.7:fixed:max-disparity=0.05").asynDm().orElseThrow()
                .maxDisparity(), 0.0);
        for (String bad : new String[] {"sync:max-disparity=0.1", "sync:asyndm=quadratic:max-disparity=-1",
                "sync:asyndm=quadratic:max-disparity=x"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Method.parse(bad), bad);
            assertTrue(e.getMessage().contains("disparity"), bad + ": " + e.getMessage());
        }
    }
}
