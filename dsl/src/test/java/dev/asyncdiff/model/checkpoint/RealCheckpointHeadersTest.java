package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published configurations, checked from header-only checkpoints of their real size: the parameter counts must
 * equal closed forms written from the architectures layer by layer, independently of the manifest code.
 */
class RealCheckpointHeadersTest {

    /** Parameter counts as polynomials in the width, one term per kind of layer. */
    static final class ClosedForm {
        /** SD3.5-medium: D = 1536, 24 layers, dual attention in 13, head 64. */
        static long sd35Transformer() {
            long d = 1536;
            long h = 64;
            long joint = 36 * d * d + 30 * d + 4 * h; // adaLN 6D ×2, attention + added projections, two FFs
            long dualExtra = 7 * d * d + 7 * d + 2 * h; // adaLN 9D instead of 6D, attn2
            long last = 23 * d * d + 20 * d + 4 * h; // text adaLN 2D, no to_add_out, no ff_context
            long embed = (16 * 2 * 2 * d + d) + (256 * d + d + d * d + d) + (2048 * d + d + d * d + d)
                    + (4096 * 1536 + 1536) + (2 * d * d + 2 * d) + (d * 2 * 2 * 16 + 2 * 2 * 16);
            return 23 * joint + 13 * dualExtra + last + embed;
        }

        static long sd35PositionTable() {
            return 384L * 384 * 1536;
        }

        /** Flux.1-dev: D = 3072, 19 double- and 38 single-stream blocks, head 128. */
        static long fluxTransformer() {
            long d = 3072;
            long h = 128;
            long dbl = 36 * d * d + 30 * d + 4 * h;
            long single = 15 * d * d + 11 * d + 2 * h; // adaLN 3D, MLP 4D, q k v, out over 5D
            long embed = (64 * d + d) + (4096 * d + d) + 2 * (256 * d + 2 * d + d * d) + (768 * d + 2 * d + d * d)
                    + (2 * d * d + 2 * d) + (64 * d + 64);
            return 19 * dbl + 38 * single + embed;
        }

        /** T5-XXL encoder: d 4096, ff 10240 gated, 64 × 64 heads, 24 blocks, bias table 32 × 64, vocabulary 32128. */
        static long t5Xxl() {
            long d = 4096;
            return 24 * (4 * d * d + 3 * d * 10240 + 2 * d) + 32 * 64 + 32128 * d + d;
        }

        static long clip(long vocab, long positions, long d, long mlp, long layers, long projection) {
            return vocab * d + positions * d + layers * (4 * d * d + 4 * d + 2 * d * mlp + mlp + d + 4 * d) + 2 * d
                    + d * projection;
        }

        /** AutoencoderKL (128, 256, 512, 512), 2 ResNets per encoder block, 16 latent channels, no quant convs. */
        static long vae() {
            long[] ch = {128, 256, 512, 512};
            long total = conv(3, 128, 3) + mid(512) + 2 * 512 + conv(512, 32, 3) // encoder ends
                    + conv(16, 512, 3) + mid(512) + 2 * 128 + conv(128, 3, 3); // decoder ends
            long prev = 128;
            for (int i = 0; i < 4; i++) {
                total += resnet(prev, ch[i]) + resnet(ch[i], ch[i]) + (i < 3 ? conv(ch[i], ch[i], 3) : 0);
                prev = ch[i];
            }
            prev = 512;
            for (int i = 0; i < 4; i++) {
                long c = ch[3 - i];
                total += resnet(prev, c) + 2 * resnet(c, c) + (i < 3 ? conv(c, c, 3) : 0);
                prev = c;
            }
            return total;
        }

        static long conv(long in, long out, long k) {
            return in * out * k * k + out;
        }

        static long resnet(long in, long out) {
            return 2 * in + conv(in, out, 3) + 2 * out + conv(out, out, 3) + (in == out ? 0 : conv(in, out, 1));
        }

        static long mid(long c) {
            return 2 * resnet(c, c) + 2 * c + 4 * (c * c + c);
        }
    }

    static Map<String, Long> parameters(List<WeightsCheck.ComponentReport> reports) {
        return reports.stream().collect(Collectors.toMap(WeightsCheck.ComponentReport::component,
                r -> r.report().parameters()));
    }

    /** A header-only folder of the backbone (16 GB for SD3.5, 33 GB for Flux), checked in seconds; every part ok. */
    static List<WeightsCheck.ComponentReport> checkedQuickly(Path tmp, BackboneLayout backbone) throws IOException {
        Path root = FakeCheckpoints.diffusers(tmp.resolve(backbone.cliName), backbone);
        long start = System.nanoTime();
        List<WeightsCheck.ComponentReport> reports = WeightsCheck.folder(backbone, root);
        double seconds = (System.nanoTime() - start) / 1e9;
        reports.forEach(r -> assertTrue(r.report().ok(), r.component() + ": " + r.report().problems()));
        assertTrue(seconds < 20, "checking the headers took " + seconds + " s");
        return reports;
    }

    /** Each component's closed-form count, as a published folder of the backbone holds them. */
    static Map<String, Long> closedForms(BackboneLayout backbone) {
        long clipL = ClosedForm.clip(49408, 77, 768, 3072, 12, backbone == BackboneLayout.SD35 ? 768 : 0);
        return backbone == BackboneLayout.SD35
                ? Map.of("transformer", ClosedForm.sd35Transformer(), "vae", ClosedForm.vae(), "text_encoder", clipL,
                        "text_encoder_2", ClosedForm.clip(49408, 77, 1280, 5120, 32, 1280),
                        "text_encoder_3", ClosedForm.t5Xxl())
                : Map.of("transformer", ClosedForm.fluxTransformer(), "vae", ClosedForm.vae(), "text_encoder", clipL,
                        "text_encoder_2", ClosedForm.t5Xxl());
    }

    @ParameterizedTest
    @EnumSource(BackboneLayout.class)
    void everyComponentOfAPublishedFolderMatchesWithItsClosedFormCount(BackboneLayout backbone, @TempDir Path tmp)
            throws IOException {
        List<WeightsCheck.ComponentReport> reports = checkedQuickly(tmp, backbone);
        assertEquals(closedForms(backbone), parameters(reports));
        long table = backbone == BackboneLayout.SD35 ? ClosedForm.sd35PositionTable() : 0;
        assertEquals(table, reports.stream().mapToLong(r -> r.report().buffers()).sum());
    }

    @Test
    void theClosedFormsGiveTheIssuesRoundedFigures() {
        assertEquals(2.24e9, ClosedForm.sd35Transformer(), 0.005e9);
        assertEquals(11.9e9, ClosedForm.fluxTransformer(), 0.05e9);
        assertEquals(4.76e9, ClosedForm.t5Xxl(), 0.005e9);
        assertEquals(124e6, ClosedForm.clip(49408, 77, 768, 3072, 12, 768), 0.5e6);
        assertEquals(695e6, ClosedForm.clip(49408, 77, 1280, 5120, 32, 1280), 0.5e6);
    }

    /** Keys and shapes of the published transformers, as their diffusers classes create them ("absent": no key). */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource({
            "sd35, pos_embed.pos_embed, 1 147456 1536",
            "sd35, pos_embed.proj.weight, 1536 16 2 2",
            "sd35, transformer_blocks.12.norm1.linear.weight, 13824 1536",
            "sd35, transformer_blocks.13.norm1.linear.weight, 9216 1536",
            "sd35, transformer_blocks.12.attn2.to_out.0.weight, 1536 1536",
            "sd35, transformer_blocks.13.attn2.to_q.weight, absent",
            "sd35, transformer_blocks.5.attn.norm_added_k.weight, 64",
            "sd35, transformer_blocks.23.norm1_context.linear.weight, 3072 1536",
            "sd35, transformer_blocks.23.attn.to_add_out.weight, absent",
            "sd35, transformer_blocks.23.ff_context.net.0.proj.weight, absent",
            "sd35, transformer_blocks.23.attn.add_q_proj.weight, 1536 1536",
            "sd35, proj_out.weight, 64 1536",
            "flux, single_transformer_blocks.37.proj_out.weight, 3072 15360",
            "flux, single_transformer_blocks.0.norm.linear.weight, 9216 3072",
            "flux, single_transformer_blocks.0.attn.norm_k.weight, 128",
            "flux, single_transformer_blocks.0.attn.to_out.0.weight, absent",
            "flux, time_text_embed.guidance_embedder.linear_1.weight, 3072 256",
            "flux, x_embedder.weight, 3072 64",
            "flux, transformer_blocks.18.attn.to_add_out.weight, 3072 3072",
    })
    void knownKeysHaveTheirPublishedShapes(String backbone, String key, String shape, @TempDir Path tmp)
            throws IOException {
        boolean sd35 = backbone.equals("sd35");
        Path dir = FakeCheckpoints.transformer(tmp.resolve("transformer"), sd35 ? PublishedTransformer.SD35_MEDIUM
                : PublishedTransformer.FLUX1_DEV, sd35 ? 1 : 3);
        TensorEntry t = ComponentFolder.open(dir).tensors().get(key);
        if (shape.equals("absent")) {
            assertNull(t, key);
        } else {
            assertArrayEquals(Arrays.stream(shape.split(" ")).mapToLong(Long::parseLong).toArray(), t.shape(), key);
        }
    }
}
