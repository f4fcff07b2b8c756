package dev.asyncdiff.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.bench.BackboneSetup;
import dev.asyncdiff.model.checkpoint.BackboneLayout;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench backbone}: bad input, a pass that does not fit in the available memory (an injected figure), and both
 * sides on a small configuration (a child JVM, then bench/reference/bench_backbone.py with Debian's python3-torch).
 */
class BenchBackboneCommandTest {
    /** An SD3.5-style MMDiT small enough for a test: width 64, dual attention in the first of two layers. */
    static final String SMALL_SD3 = """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 16, "caption_projection_dim": 64,
             "dual_attention_layers": [0], "in_channels": 16, "joint_attention_dim": 96, "num_attention_heads": 4,
             "num_layers": 2, "out_channels": 16, "patch_size": 2, "pooled_projection_dim": 48,
             "pos_embed_max_size": 8, "qk_norm": "rms_norm"}""";
    static final double GIB = 1L << 30;

    @TempDir
    Path dir;

    static List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("bench", "backbone"));
        a.addAll(List.of(more));
        return a;
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Nested
    class BadInput {
        @Test
        void withoutSyntheticNothingIsRun() {
            Path out = dir.resolve("r.json");
            CliRun.of(args("--backbone", "sd35", "--out", out.toString())).assertBadInput(out, "--synthetic");
        }

        @Test
        void anImageSizeNoTokenGridFitsIsRefused() {
            Path out = dir.resolve("r.json");
            CliRun.of(args("--backbone", "sd35", "--synthetic", "--image-size", "500", "--out", out.toString()))
                    .assertBadInput(out, "--image-size must be a positive multiple of 16 (got 500)");
        }

        @Test
        void anUnknownBackboneIsRefused() {
            Path out = dir.resolve("r.json");
            CliRun.of(args("--backbone", "sdxl", "--synthetic", "--out", out.toString()))
                    .assertBadInput(out, "unknown backbone 'sdxl'");
        }

        @Test
        void aConfigOfTheOtherFamilyIsRefused() throws IOException {
            Path config = Files.writeString(dir.resolve("config.json"), SMALL_SD3);
            Path out = dir.resolve("r.json");
            CliRun.of(args("--backbone", "flux", "--synthetic", "--config", config.toString(), "--out",
                    out.toString())).assertBadInput(out, "describes a SD3Transformer2DModel");
        }

        @Test
        void anOutThatIsAFolderIsRefused() {
            Path out = dir.resolve("r.json");
            CliRun r = CliRun.of(args("--backbone", "sd35", "--synthetic", "--out", dir.toString()));
            r.assertBadInput(out, "is a folder");
        }
    }

    @Nested
    class NotEnoughMemory {
        @Test
        void flux1DevInFp32IsRefusedInOneLineOn24GibAndNothingRuns() throws IOException {
            Path out = dir.resolve("flux.json");
            CliRun r = CliRun.of(args("--backbone", "flux", "--synthetic", "--assume-available-bytes",
                    Long.toString(24L << 30), "--out", out.toString()));
            assertEquals(BenchBackboneCommand.DOES_NOT_FIT, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("black-forest-labs/FLUX.1-dev transformer needs about")
                    && r.err().contains("but only 24.00 GiB is available") && r.err().contains("nothing was run"),
                    r.err());
            JsonObject report = json(out);
            assertEquals(false, report.get("fits").getAsBoolean());
            assertTrue(report.get("required_bytes").getAsLong() > 4 * 11_901_408_320L);
            assertTrue(report.get("java").isJsonNull() && report.get("python").isJsonNull());
        }

        @Test
        void sd35MediumIsRefusedOneByteBelowWhatItNeeds() throws IOException {
            long need = new BackboneSetup(BackboneLayout.SD35, BackboneSetup.published(BackboneLayout.SD35).config(),
                    512, 1, 1, Runtime.getRuntime().availableProcessors(), 42).requiredBytes();
            Path out = dir.resolve("sd35.json");
            CliRun r = CliRun.of(args("--backbone", "sd35", "--synthetic", "--assume-available-bytes",
                    Long.toString(need - 1), "--out", out.toString()));
            assertEquals(BenchBackboneCommand.DOES_NOT_FIT, r.code(), r.err());
            assertEquals(need, json(out).get("required_bytes").getAsLong());
        }
    }

    @Test
    void aSmallConfigRunsBothSidesOnTheSameWeightsAndReportsEachSidesFigures() throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), SMALL_SD3);
        Path out = dir.resolve("small.json");
        CliRun r = CliRun.of(args("--backbone", "sd35", "--synthetic", "--config", config.toString(),
                "--image-size", "64", "--repeats", "2", "--threads", "1", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        JsonObject report = json(out);
        double flops = report.get("flops_per_pass").getAsDouble();
        for (String side : List.of("java", "python")) {
            JsonObject s = report.getAsJsonObject(side);
            assertEquals(2, s.getAsJsonArray("pass_seconds").size(), side);
            assertEquals(1, s.get("threads").getAsInt(), side);
            double seconds = s.get("seconds").getAsDouble();
            assertTrue(seconds > 0, side);
            assertEquals(flops / seconds / 1e9, s.get("gflops").getAsDouble(), 1e-9 * flops / seconds, side);
            assertEquals(s.get("gflops").getAsDouble() / s.get("matmul_gflops").getAsDouble(),
                    s.get("matmul_fraction").getAsDouble(), 1e-12, side);
            long peak = s.get("peak_bytes").getAsLong();
            assertTrue(peak > (50L << 20) && peak < (4L << 30), side + " peak " + peak / GIB + " GiB");
            assertTrue(Double.isFinite(s.get("output_rms").getAsDouble()), side);
        }
        assertTrue(report.getAsJsonObject("java").get("implementation").getAsString().startsWith("Java"));
        assertTrue(report.getAsJsonObject("python").get("implementation").getAsString().startsWith("Python, torch"));
        // Both sides draw weights and inputs from torch's CPU generator seeded alike, by the same rule: one pass.
        assertTrue(report.get("velocity_max_rel").getAsDouble() <= 1e-4, report.get("velocity_max_rel").toString());
    }
}
