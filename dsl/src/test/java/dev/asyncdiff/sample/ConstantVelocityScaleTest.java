package dev.asyncdiff.sample;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.eval.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantVelocityScaleTest {
    private static final Pipeline BASE = SamplerTest.BASE;
    private static final List<String> PROMPTS = SamplerTest.PROMPTS;

    private static float[][] sample(String method) {
        return Method.parse(method).applyTo(BASE).generate(PROMPTS, 2).xFinal();
    }

    @ParameterizedTest(name = "velocity:{0}")
    @ValueSource(doubles = {1.005, 0.97, 1.3, 0.5, 1.5})
    void everyUpdateIsMultipliedByOmegaAsAPlainEulerLoopDoes(double omega) {
        Generation g = Method.parse("velocity:" + omega).applyTo(BASE).generate("1", 1);
        double[] t = BASE.grid();
        double[] w = new double[t.length - 1];
        Arrays.fill(w, omega);
        float[] ref = ReferenceEuler.run(BASE.model(), "1", g.xInit()[0], t, Arrays.copyOf(t, t.length - 1), w, 3);
        assertArrayEquals(ref, g.xFinal()[0]);
    }

    @ParameterizedTest(name = "velocity:{0}")
    @ValueSource(doubles = {1.005, 0.97, 1.3})
    void itIsTheFixedDeviationVelocityScaleMethodWithRAtOmegaMinusOneHalf(double omega) {
        double r = omega - 0.5; // Eq. 20: ω = 0.5 + r
        float[][] fixed = sample("fixed:" + (r - 0.5) + ":velocity-scale");
        float[][] velocity = sample("velocity:" + omega);
        for (int i = 0; i < fixed.length; i++) {
            assertArrayEquals(fixed[i], velocity[i]);
        }
    }

    @Test
    void omegaOneIsSynchronousSamplingBitForBit() {
        float[][] sync = sample("sync");
        float[][] one = sample("velocity:1");
        for (int i = 0; i < sync.length; i++) {
            assertArrayEquals(sync[i], one[i]);
        }
        assertTrue(!Arrays.equals(sync[0], sample("velocity:1.005")[0]), "ω ≠ 1 changes the samples");
    }

    @ParameterizedTest
    @ValueSource(strings = {"velocity:1.6", "velocity:0.4", "velocity:NaN", "velocity:x", "velocity:",
            "velocity:1.005:gamma=2", "velocity:1.005:lifted"})
    void anOmegaOutsideItsRangeOrWithModifiersIsRefusedWithTheGrammar(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse(spec));
        assertTrue(e.getMessage().startsWith("method '" + spec + "' is not " + Method.GRAMMAR), e.getMessage());
        assertTrue(e.getMessage().contains("velocity:W needs"), e.getMessage());
    }

    @Test
    void theMethodKeepsItsNameAndReportsTheFixedDeviationItUses() {
        Method m = Method.parse("velocity:1.005");
        assertEquals("velocity:1.005", m.spec());
        assertEquals(SamplingMode.VELOCITY_SCALE, m.mode());
        assertEquals(1.005 - 1, m.fixedDeviation().getAsDouble(), 0);
    }
}
