package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint that differs from its manifest in one key is reported with exactly that key. */
class ManifestMismatchTest {
    /** A two-block T5 encoder: small enough to list, same key layout as T5-XXL. */
    static final String SMALL_T5 = """
            {"architectures": ["T5EncoderModel"], "d_ff": 48, "d_kv": 8, "d_model": 32,
             "feed_forward_proj": "gated-gelu", "num_heads": 4, "num_layers": 2,
             "relative_attention_num_buckets": 32, "vocab_size": 100}""";

    static ManifestReport checkWith(Path dir, java.util.function.Consumer<Map<String, long[]>> edit)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ComponentConfig.FILE), SMALL_T5);
        Map<String, long[]> tensors = new LinkedHashMap<>(FakeCheckpoints.complete(Architecture.T5_ENCODER, dir));
        edit.accept(tensors);
        FakeCheckpoints.write(dir, "model", tensors, "F32", 1);
        return WeightsCheck.component(BackboneLayout.FLUX, "text_encoder_2", dir).report();
    }

    @Test
    void aCompleteCheckpointMatchesAndCountsEveryWeightOnce(@TempDir Path tmp) throws IOException {
        ManifestReport r = checkWith(tmp, t -> t.put("encoder.embed_tokens.weight", new long[] {100, 32}));
        assertTrue(r.ok(), r.problems());
        // shared 100·32, per block q k v o 4·32·32, wi_0 wi_1 wo 3·32·48, two norms; the bias table; final norm
        assertEquals(100 * 32 + 2 * (4 * 32 * 32 + 3 * 32 * 48 + 2 * 32) + 32 * 4 + 32, r.parameters());
    }

    @Test
    void aMisShapedKeyIsNamedWithBothShapes(@TempDir Path tmp) throws IOException {
        ManifestReport r = checkWith(tmp, t -> t.put("encoder.block.1.layer.1.DenseReluDense.wo.weight",
                new long[] {48, 32}));
        assertEquals(List.of("encoder.block.1.layer.1.DenseReluDense.wo.weight [48, 32] (expected [32, 48])"),
                r.misShaped());
        assertTrue(r.missing().isEmpty() && r.unexpected().isEmpty());
    }

    @Test
    void aMissingKeyIsNamed(@TempDir Path tmp) throws IOException {
        ManifestReport r = checkWith(tmp, t -> t.remove("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"));
        assertEquals(List.of("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"), r.missing());
        assertEquals("1 missing: encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", r.problems());
    }

    @Test
    void anUnexpectedKeyIsNamed(@TempDir Path tmp) throws IOException {
        ManifestReport r = checkWith(tmp, t -> t.put("encoder.block.1.layer.0.SelfAttention.relative_attention_bias"
                + ".weight", new long[] {32, 4}));
        assertEquals(List.of("encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"), r.unexpected());
        assertFalse(r.ok());
    }

    @Test
    void aLongListIsCappedAndSaysHowManyMore(@TempDir Path tmp) throws IOException {
        ManifestReport r = checkWith(tmp, t -> t.keySet().removeIf(k -> k.startsWith("encoder.block.1.")));
        assertEquals(9, r.missing().size()); // q k v o, norm, wi_0 wi_1 wo, norm
        String shown = r.problems();
        assertTrue(shown.startsWith("9 missing: encoder.block.1.layer.0.SelfAttention.q.weight, "), shown);
        assertTrue(shown.endsWith(" and 3 more"), shown);
        assertEquals(ManifestReport.KEYS_SHOWN, shown.split(", ").length, shown);
    }

    @Test
    void aConfigNamingAnotherClassIsRefused(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve(ComponentConfig.FILE), SMALL_T5);
        FakeCheckpoints.write(tmp, "model", FakeCheckpoints.complete(Architecture.T5_ENCODER, tmp), "F32", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightsCheck.component(BackboneLayout.FLUX, "text_encoder", tmp));
        assertTrue(e.getMessage().contains("describes a T5EncoderModel; a CLIPTextModel belongs here"), e.getMessage());
    }
}
