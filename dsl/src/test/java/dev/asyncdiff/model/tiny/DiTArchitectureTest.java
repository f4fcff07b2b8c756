package dev.asyncdiff.model.tiny;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiTArchitectureTest {
    @Test
    void eachArchitectureIsReadBackFromTheNamesOfItsOwnLayout() {
        for (DiTArchitecture.Modulation m : DiTArchitecture.Modulation.values()) {
            for (DiTArchitecture.Positions p : DiTArchitecture.Positions.values()) {
                DiTArchitecture a = new DiTArchitecture(m, p);
                assertEquals(a, DiTArchitecture.of(DiT.layout(a).entries().keySet(), "test"));
                assertEquals(a, DiTArchitecture.parse(a.toString()));
            }
        }
    }

    @Test
    void namedGenerationsParse() {
        assertEquals(new DiTArchitecture(DiTArchitecture.Modulation.SHARED, DiTArchitecture.Positions.LEARNED),
                DiTArchitecture.parse("v1"));
        assertEquals(new DiTArchitecture(DiTArchitecture.Modulation.PER_BLOCK, DiTArchitecture.Positions.SINCOS),
                DiTArchitecture.parse("V2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v3", "per-block", "per-block+learned+x", "shared+absolute", ""})
    void anUnknownSpecIsRefusedWithTheChoices(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiTArchitecture.parse(spec));
        assertTrue(e.getMessage().contains("shared or per-block") && e.getMessage().contains("(got " + spec + ")"),
                e.getMessage());
    }

    @Test
    void tensorsOfNoKnownArchitectureAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DiTArchitecture.of(Set.of("patch.w", "pos"), "weights.safetensors"));
        assertTrue(e.getMessage().startsWith("weights.safetensors holds no tiny DiT"), e.getMessage());
    }

    @Test
    void theSinCosTableHoldsRowThenColumnFeatures() {
        float[] table = DiT.sincosTable();
        int quarter = DiT.WIDTH / 4;
        int token = 3 * DiT.GRID + 5; // row 3, column 5
        // channel j of the row half: sin(3·ω_j), of the column half: sin(5·ω_j); ω_0 = 1, ω_quarter/2 = 10000^-½
        assertEquals(Math.sin(3), table[token * DiT.WIDTH], 1e-6);
        assertEquals(Math.cos(3), table[token * DiT.WIDTH + quarter], 1e-6);
        assertEquals(Math.sin(5), table[token * DiT.WIDTH + 2 * quarter], 1e-6);
        assertEquals(Math.cos(5 * 0.01), table[token * DiT.WIDTH + 3 * quarter + quarter / 2], 1e-6);
        assertEquals(DiT.TOKENS * DiT.WIDTH, table.length);
    }
}
