package dev.asyncdiff.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sample --backbone tiny`: prompts and weight folders the embedded model cannot use are bad input (exit 2). */
class SampleTinyCommandTest {
    @TempDir
    Path dir;

    private void assertBadInput(List<String> extra, String... expected) {
        Path out = dir.resolve("never");
        List<String> args = new ArrayList<>(List.of("sample", "--backbone", "tiny", "--steps", "2", "--out",
                out.toString()));
        args.addAll(extra);
        CliRun.of(args).assertBadInput(out, expected);
    }

    @ParameterizedTest(name = "prompt [{0}]")
    @CsvSource(delimiter = '|', value = {
            "a purple circle beside a hexagon|beside",
            "a red dog|dog",
            "'   '|empty prompt",
    })
    void aPromptTheModelCannotReadIsABadInput(String prompt, String expected) {
        assertBadInput(List.of("--prompt", prompt), expected);
    }

    @Test
    void cocoCaptionsAreABadInputListingTheUnknownWordsAndTheSetsTheModelReads() {
        // The sample's first caption is "A narrow kitchen with a white stove top oven." (PromptSetsTest.Coco).
        assertBadInput(List.of("--prompts", "coco:val:4"), "outside the tiny model's vocabulary: narrow, kitchen",
                "shapes:colour|");
    }

    @ParameterizedTest(name = "prompt [{0}]")
    @ValueSource(strings = {"circle red a", "a red circle left of"})
    void knownWordsThatMakeNoCaptionAreABadInput(String prompt) {
        assertBadInput(List.of("--prompt", prompt), "is not a caption of the tiny model's world", "shapes:colour|");
    }

    @Test
    void promptsAndAPromptSetTogetherAreABadInput() {
        assertBadInput(List.of("--prompt", "a red circle", "--prompts", "shapes:colour:val:2"), "mutually exclusive");
    }

    @Test
    void neitherPromptsNorAPromptSetIsABadInput() {
        assertBadInput(List.of(), "Missing required argument", "--prompts=SPEC");
    }

    @Test
    void aBadPromptSetIsABadInput() {
        assertBadInput(List.of("--prompts", "shapes:colour:val:301"), "N must be from 1 to 300");
    }

    @Test
    void aPromptSetIsSampledPromptByPromptAndNamedInTheConfig() throws IOException {
        Path out = dir.resolve("out");
        CliRun o = CliRun.of("sample", "--backbone", "tiny", "--steps", "1", "--prompts", "shapes:numeracy:val:2",
                "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        assertEquals("shapes:numeracy:val:2", json.getAsJsonObject("config").get("prompts").getAsString());
        List<String> sampled = new ArrayList<>();
        json.getAsJsonArray("samples").forEach(s -> sampled.add(s.getAsJsonObject().get("prompt").getAsString()));
        List<String> expected = PromptSplits.standard().get(Split.VAL, Category.NUMERACY).subList(0, 2).stream()
                .map(Caption::text).toList();
        assertEquals(expected, sampled);
    }

    @Test
    void aPromptLongerThanTheTextEncoderIsABadInput() {
        assertBadInput(List.of("--prompt", String.join(" ", Collections.nCopies(17, "circle"))), "17 words",
                "at most 16");
    }

    @Test
    void aCorruptWeightFileIsABadInputNamingTheFile() throws IOException {
        Path weights = dir.resolve("weights");
        Files.createDirectories(weights);
        Files.write(weights.resolve("tiny.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Files.writeString(weights.resolve("vocab.txt"), "a\nred\ncircle\n");
        assertBadInput(List.of("--weights", weights.toString(), "--prompt", "a red circle"), "tiny.safetensors",
                "not a safetensors file");
    }

    @Test
    void aMissingWeightFolderIsABadInput() {
        assertBadInput(List.of("--weights", dir.resolve("nowhere").toString(), "--prompt", "a red circle"),
                "cannot read tiny-model weights");
    }

    @Test
    void weightsForTheGmmBackboneAreABadInput() {
        Path out = dir.resolve("never");
        CliRun.of(List.of("sample", "--backbone", "gmm", "--gmm-spec", dir.resolve("spec.json").toString(),
                "--weights", dir.toString(), "--prompt", "x", "--out", out.toString()))
                .assertBadInput(out, "--weights applies to --backbone tiny, sd35 and flux");
    }

    @Test
    void fluxWeightsThatAreNoDiffusersFolderAreABadInput() {
        Path out = dir.resolve("never");
        CliRun.of(List.of("sample", "--backbone", "flux", "--weights", dir.toString(), "--prompt", "x", "--out",
                out.toString())).assertBadInput(out, "has no model_index.json");
    }
}
