package dev.asyncdiff.bench;

import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.PublishedTransformer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackboneSetupTest {
    static final double GIB = 1L << 30;

    static BackboneSetup at512(BackboneLayout backbone) {
        return new BackboneSetup(backbone, BackboneSetup.published(backbone).config(), 512, 1, 1, 2, 42);
    }

    @Test
    void sd35At512Has1024PatchTokensAnd333TextTokens() {
        BackboneSetup s = at512(BackboneLayout.SD35);
        assertEquals(1024, s.imageTokens()); // (512 / 8 / 2)²
        assertEquals(77 + 256, s.textTokens());
        assertArrayEquals(new long[] {1, 16, 64, 64}, s.latentShape());
        assertArrayEquals(new int[] {1357, 1536, 6144}, s.matmul());
        assertEquals(500, s.time());
        assertTrue(Double.isNaN(s.guidance()));
        assertEquals("stabilityai/stable-diffusion-3.5-medium transformer", s.title());
    }

    @Test
    void fluxDevAt512Has1024PackedTokens512T5TokensAndTheDistilledGuidance() {
        BackboneSetup s = at512(BackboneLayout.FLUX);
        assertEquals(1024, s.imageTokens());
        assertEquals(512, s.textTokens());
        assertArrayEquals(new long[] {1, 16, 64, 64}, s.latentShape());
        assertEquals(0.5, s.time());
        assertEquals(3.5, s.guidance());
        assertEquals(FlopCount.fluxDev512().flops(), s.flops());
    }

    @Test
    void sd35MediumFitsIn24GibAndFluxDevInFp32DoesNot() {
        // the published counts (README, weights check): SD3.5-medium 2,243,171,520 + a 226,492,416-value position
        // table, Flux.1-dev 11,901,408,320
        BackboneSetup sd35 = at512(BackboneLayout.SD35);
        assertEquals(4 * (2_243_171_520L + 226_492_416L), sd35.weightBytes());
        assertTrue(sd35.requiredBytes() < 24 * GIB, sd35.requiredBytes() / GIB + " GiB");
        BackboneSetup flux = at512(BackboneLayout.FLUX);
        assertEquals(4 * 11_901_408_320L, flux.weightBytes());
        assertTrue(flux.requiredBytes() > 24 * GIB);
    }

    @Test
    void theWorkingMemoryIsOneBlocksAttentionAndTokenArrays() {
        BackboneSetup s = at512(BackboneLayout.SD35);
        long l = 1357;
        assertEquals(4 * (3 * 24 * l * l + 96 * l * 1536), s.workingBytes());
        assertEquals(s.weightBytes() + s.workingBytes() + BackboneSetup.RUNTIME_BYTES, s.requiredBytes());
    }

    @Test
    void theJsonBothSidesReadGivesTheSameSetupBack() {
        for (BackboneLayout b : BackboneLayout.values()) {
            BackboneSetup s = new BackboneSetup(b, BackboneSetup.published(b).config(), 256, 3, 2, 1, 7);
            assertEquals(s, BackboneSetup.fromJson(s.toJson()));
        }
    }

    @Test
    void imageSizesThatNoTokenGridFitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BackboneSetup(
                BackboneLayout.SD35, PublishedTransformer.SD35_MEDIUM.config(), 520, 1, 1, 1, 1));
        assertEquals("--image-size must be a positive multiple of 16 (got 520)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BackboneSetup(BackboneLayout.SD35,
                PublishedTransformer.SD35_MEDIUM.config(), 6160, 1, 1, 1, 1));
        assertEquals("--image-size 6160 is larger than this transformer's position table allows (6144)",
                e.getMessage());
    }

    @Test
    void aConfigOfTheOtherFamilyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BackboneSetup(
                BackboneLayout.SD35, PublishedTransformer.FLUX1_DEV.config(), 512, 1, 1, 1, 1));
        assertTrue(e.getMessage().contains("describes a FluxTransformer2DModel; a SD3Transformer2DModel belongs here"),
                e.getMessage());
    }
}
