package dev.asyncdiff.model.sd3;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Sd3ConfigTest {
    @Test
    void sd35MediumIsA1536Wide24LayerMmditWithDualAttentionInItsFirst13LayersAndQkNorm() {
        Sd3Config c = Sd3Config.sd35Medium();
        assertEquals(1536, c.width());
        assertEquals(24, c.layers());
        assertTrue(c.dual(0) && c.dual(12));
        assertFalse(c.dual(13));
        assertEquals(2, c.patch());
        assertEquals(16, c.inChannels());
        assertEquals(4096, c.jointDim());
        assertEquals(2048, c.pooledDim());
        assertEquals(384, c.posMaxSize());
        assertTrue(c.qkNorm());
    }
}
