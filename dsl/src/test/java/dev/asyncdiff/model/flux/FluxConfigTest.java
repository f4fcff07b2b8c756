package dev.asyncdiff.model.flux;

import dev.asyncdiff.model.checkpoint.ComponentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flux's config.json as FluxTransformer reads it: the published Flux.1-dev one, diffusers' defaults, bad axes. */
class FluxConfigTest {
    @TempDir
    Path dir;

    FluxConfig read(String json) throws IOException {
        Files.writeString(dir.resolve(ComponentConfig.FILE), json);
        return FluxConfig.of(ComponentConfig.read(dir));
    }

    @Test
    void thePublishedFlux1DevConfigIsA3072WideGuidanceDistilledModelOn16ChannelLatents() {
        FluxConfig c = FluxConfig.dev();
        assertEquals(3072, c.width());
        assertEquals(19, c.doubleLayers());
        assertEquals(38, c.singleLayers());
        assertEquals(16, c.latentChannels());
        assertTrue(c.guidance());
        assertArrayEquals(new int[] {16, 56, 56}, c.axesDimsRope());
    }

    @Test
    void aConfigWithoutRopeAxesOrGuidanceTakesDiffusersDefaults() throws IOException {
        FluxConfig c = read("""
                {"attention_head_dim": 128, "in_channels": 64, "joint_attention_dim": 4096,
                 "num_attention_heads": 24, "num_layers": 19, "num_single_layers": 38,
                 "pooled_projection_dim": 768}""");
        assertArrayEquals(new int[] {16, 56, 56}, c.axesDimsRope());
        assertFalse(c.guidance());
        assertEquals(64, c.outChannels());
    }

    @Test
    void ropeAxesThatDoNotFillTheHeadAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("""
                {"attention_head_dim": 16, "axes_dims_rope": [4, 6, 4], "in_channels": 16,
                 "joint_attention_dim": 24, "num_attention_heads": 4, "num_layers": 2, "num_single_layers": 2,
                 "pooled_projection_dim": 20}"""));
        assertEquals("axes_dims_rope [4, 6, 4] must be even positive sizes summing to attention_head_dim 16",
                e.getMessage());
    }
}
