package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Nested
    class TheSd35Folder {
        @Test
        void matchesItsManifestsWithTheClosedFormCounts(@TempDir Path tmp) throws IOException {
            Path root = FakeCheckpoints.diffusers(tmp.resolve("sd35"), BackboneLayout.SD35);
            long start = System.nanoTime();
            List<WeightsCheck.ComponentReport> reports = WeightsCheck.folder(BackboneLayout.SD35, root);
            double seconds = (System.nanoTime() - start) / 1e9;
            reports.forEach(r -> assertTrue(r.report().ok(), r.component() + ": " + r.report().problems()));
            Map<String, Long> n = parameters(reports);
            assertEquals(ClosedForm.sd35Transformer(), n.get("transformer"));
            assertEquals(ClosedForm.sd35PositionTable(), reports.get(0).report().buffers());
            assertEquals(ClosedForm.clip(49408, 77, 768, 3072, 12, 768), n.get("text_encoder"));
            assertEquals(ClosedForm.clip(49408, 77, 1280, 5120, 32, 1280), n.get("text_encoder_2"));
            assertEquals(ClosedForm.t5Xxl(), n.get("text_encoder_3"));
            assertEquals(ClosedForm.vae(), n.get("vae"));
            // The rounded figures, as a check on the closed forms themselves.
            assertEquals(2.24e9, n.get("transformer"), 0.005e9);
            assertEquals(124e6, n.get("text_encoder"), 0.5e6);
            assertEquals(695e6, n.get("text_encoder_2"), 0.5e6);
            assertEquals(4.76e9, n.get("text_encoder_3"), 0.005e9);
            assertTrue(seconds < 20, "checking headers of ~16 GB took " + seconds + " s");
        }

        @Test
        void keepsTheKnownKeysOfTheDualAndLastBlocks(@TempDir Path tmp) throws IOException {
            Path dir = FakeCheckpoints.component(tmp.resolve("transformer"), Architecture.SD3_TRANSFORMER,
                    FakeCheckpoints.SD35_TRANSFORMER, "diffusion_pytorch_model", 1);
            Map<String, TensorEntry> t = ComponentFolder.open(dir).tensors();
            assertArrayEquals(new long[] {1, 147456, 1536}, t.get("pos_embed.pos_embed").shape());
            assertArrayEquals(new long[] {1536, 16, 2, 2}, t.get("pos_embed.proj.weight").shape());
            assertArrayEquals(new long[] {9 * 1536, 1536}, t.get("transformer_blocks.12.norm1.linear.weight").shape());
            assertArrayEquals(new long[] {6 * 1536, 1536}, t.get("transformer_blocks.13.norm1.linear.weight").shape());
            assertTrue(t.containsKey("transformer_blocks.12.attn2.to_out.0.weight"));
            assertFalse(t.containsKey("transformer_blocks.13.attn2.to_q.weight"));
            assertArrayEquals(new long[] {64}, t.get("transformer_blocks.5.attn.norm_added_k.weight").shape());
            assertArrayEquals(new long[] {2 * 1536, 1536},
                    t.get("transformer_blocks.23.norm1_context.linear.weight").shape());
            assertFalse(t.containsKey("transformer_blocks.23.attn.to_add_out.weight"));
            assertFalse(t.containsKey("transformer_blocks.23.ff_context.net.0.proj.weight"));
            assertTrue(t.containsKey("transformer_blocks.23.attn.add_q_proj.weight"));
            assertArrayEquals(new long[] {64, 1536}, t.get("proj_out.weight").shape());
        }
    }

    @Nested
    class TheFluxFolder {
        @Test
        void matchesItsManifestsWithTheClosedFormCounts(@TempDir Path tmp) throws IOException {
            Path root = FakeCheckpoints.diffusers(tmp.resolve("flux"), BackboneLayout.FLUX);
            long start = System.nanoTime();
            List<WeightsCheck.ComponentReport> reports = WeightsCheck.folder(BackboneLayout.FLUX, root);
            double seconds = (System.nanoTime() - start) / 1e9;
            reports.forEach(r -> assertTrue(r.report().ok(), r.component() + ": " + r.report().problems()));
            Map<String, Long> n = parameters(reports);
            assertEquals(ClosedForm.fluxTransformer(), n.get("transformer"));
            assertEquals(0, reports.get(0).report().buffers());
            assertEquals(ClosedForm.clip(49408, 77, 768, 3072, 12, 0), n.get("text_encoder"));
            assertEquals(ClosedForm.t5Xxl(), n.get("text_encoder_2"));
            assertEquals(11.9e9, n.get("transformer"), 0.05e9);
            assertEquals(123e6, n.get("text_encoder"), 0.5e6);
            assertTrue(seconds < 20, "checking headers of ~33 GB took " + seconds + " s");
        }

        @Test
        void keepsTheKnownKeysOfTheSingleStreamBlocks(@TempDir Path tmp) throws IOException {
            Path dir = FakeCheckpoints.component(tmp.resolve("transformer"), Architecture.FLUX_TRANSFORMER,
                    FakeCheckpoints.FLUX_TRANSFORMER, "diffusion_pytorch_model", 3);
            Map<String, TensorEntry> t = ComponentFolder.open(dir).tensors();
            assertArrayEquals(new long[] {3072, 5 * 3072}, t.get("single_transformer_blocks.37.proj_out.weight").shape());
            assertArrayEquals(new long[] {3 * 3072, 3072}, t.get("single_transformer_blocks.0.norm.linear.weight").shape());
            assertArrayEquals(new long[] {128}, t.get("single_transformer_blocks.0.attn.norm_k.weight").shape());
            assertFalse(t.containsKey("single_transformer_blocks.0.attn.to_out.0.weight"));
            assertArrayEquals(new long[] {3072, 256},
                    t.get("time_text_embed.guidance_embedder.linear_1.weight").shape());
            assertArrayEquals(new long[] {3072, 64}, t.get("x_embedder.weight").shape());
            assertTrue(t.containsKey("transformer_blocks.18.attn.to_add_out.weight"));
        }
    }
}
