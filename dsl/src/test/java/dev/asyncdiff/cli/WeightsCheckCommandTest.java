package dev.asyncdiff.cli;

import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightsCheckCommandTest {
    @TempDir
    static Path tmp;
    static Path flux;

    @BeforeAll
    static void fakeFluxCheckpoint() throws IOException {
        flux = FakeCheckpoints.diffusers(tmp.resolve("flux"), BackboneLayout.FLUX);
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliRun r;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            r = CliRun.of(args);
        } finally {
            System.setOut(stdout);
        }
        return new Run(r.code(), out.toString(StandardCharsets.UTF_8), r.err());
    }

    @Test
    void aCompleteFolderExitsZeroAndPrintsEachComponentsCount() {
        Run r = run("weights", "check", "--backbone", "flux", flux.toString());
        assertEquals(0, r.code(), r.err());
        for (String line : new String[] {"transformer", "vae", "text_encoder ", "text_encoder_2", "total"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(line)), "no line for " + line + " in\n" + r.out());
        }
        assertEquals(4, r.out().lines().filter(l -> l.endsWith(" ok")).count(), r.out());
        assertTrue(r.out().contains("FluxTransformer2DModel"), r.out());
    }

    @Test
    void oneComponentIsCheckedFromItsOwnFolderOrFromTheCheckpoints() {
        Run own = run("weights", "check", "--backbone", "flux", "--component", "text_encoder_2",
                flux.resolve("text_encoder_2").toString());
        Run nested = run("weights", "check", "--backbone", "flux", "--component", "text_encoder_2", flux.toString());
        assertEquals(0, own.code(), own.err());
        assertEquals(own.out(), nested.out());
        assertEquals(2, own.out().lines().count(), own.out());
        assertTrue(own.out().contains("T5EncoderModel"), own.out());
    }

    @Test
    void aMisShapedKeyExitsTwoNamingTheKey(@TempDir Path dir) throws IOException {
        Path vae = dir.resolve("vae");
        Files.createDirectories(vae);
        Files.copy(flux.resolve("vae/config.json"), vae.resolve("config.json"));
        Map<String, long[]> tensors = FakeCheckpoints.complete(Architecture.AUTOENCODER_KL, vae);
        tensors.put("decoder.conv_in.weight", new long[] {512, 4, 3, 3});
        FakeCheckpoints.write(vae, "diffusion_pytorch_model", tensors, "F32", 1);
        CliRun.of("weights", "check", "--backbone", "sd35", "--component", "vae", vae.toString())
                .assertBadInput(dir.resolve("never"), "vae (AutoencoderKL): 1 mis-shaped: decoder.conv_in.weight "
                        + "[512, 4, 3, 3] (expected [512, 16, 3, 3])");
    }

    @Test
    void aFolderWithoutModelIndexIsOneLine(@TempDir Path dir) {
        CliRun.of("weights", "check", "--backbone", "sd35", dir.toString())
                .assertBadInput(dir.resolve("never"), "has no model_index.json");
    }

    @Test
    void aComponentWithoutConfigIsOneLine(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("transformer"));
        CliRun.of("weights", "check", "--backbone", "flux", "--component", "transformer",
                dir.resolve("transformer").toString()).assertBadInput(dir.resolve("never"), "has no config.json");
    }

    @Test
    void aFolderOfTheOtherBackboneIsRefusedByClass() {
        CliRun.of("weights", "check", "--backbone", "sd35", "--component", "transformer", flux.toString())
                .assertBadInput(tmp.resolve("never"), "describes a FluxTransformer2DModel; a SD3Transformer2DModel "
                        + "belongs here");
    }

    @Test
    void aComponentTheBackboneLacksIsOneLine() {
        CliRun.of("weights", "check", "--backbone", "flux", "--component", "text_encoder_3", flux.toString())
                .assertBadInput(tmp.resolve("never"), "--backbone flux has no component 'text_encoder_3'");
    }

    @Test
    void anUnknownBackboneIsOneLine() {
        CliRun.of("weights", "check", "--backbone", "sdxl", flux.toString())
                .assertBadInput(tmp.resolve("never"), "unknown backbone 'sdxl' (choose sd35 or flux)");
    }
}
