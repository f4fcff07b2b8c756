package dev.asyncdiff.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.sample.SampleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {
    @TempDir
    Path dir;

    private Path spec() throws IOException {
        Path p = dir.resolve("spec.json");
        Files.writeString(p, "{\"weights\":[1,1],\"means\":[[-2,0,1],[2,0,-1]],\"std\":0.5}");
        return p;
    }

    @Test
    void writesTheTrajectoryAndLatentsContract() throws IOException {
        Path out = dir.resolve("out");
        CliRun o = CliRun.of("sample", "--backbone", "gmm", "--gmm-spec", spec().toString(), "--prompt", "1", "--prompt", "",
                "--n", "3", "--steps", "5", "--schedule", "shift:3", "--guidance", "2", "--policy", "fixed:0.25",
                "--gamma", "1.2", "--seed", "9", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        JsonArray grid = json.getAsJsonArray("grid");
        assertEquals(6, grid.size());
        assertEquals(1.0, grid.get(0).getAsDouble());
        JsonArray samples = json.getAsJsonArray("samples");
        assertEquals(6, samples.size());
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            JsonObject s = samples.get(i).getAsJsonObject();
            assertEquals(i, s.get("index").getAsInt());
            prompts.add(s.get("prompt").getAsString());
            JsonArray steps = s.getAsJsonArray("steps");
            assertEquals(5, steps.size());
            JsonObject first = steps.get(0).getAsJsonObject();
            assertTrue(first.has("r") && first.get("r").isJsonNull());
            assertEquals(first.get("t").getAsDouble(), first.get("t_cond").getAsDouble());
            for (int k = 1; k < 5; k++) {
                JsonObject st = steps.get(k).getAsJsonObject();
                assertEquals(List.of("k", "t", "t_next", "t_cond", "r", "eta", "deviation", "alpha", "beta", "logprob",
                        "t_evals"), new ArrayList<>(st.keySet()));
                assertEquals(List.of(st.get("t_cond").getAsDouble()), doubles(st.getAsJsonArray("t_evals")),
                        "Euler evaluates once, at t*");
                assertEquals(k, st.get("k").getAsInt());
                assertEquals(0.75, st.get("r").getAsDouble(), 1e-12);
                double tPrev = grid.get(k - 1).getAsDouble();
                double t = grid.get(k).getAsDouble();
                double eta = 1 + 0.25 * 1.2;
                assertEquals(Math.max(1e-3, tPrev + eta * (t - tPrev)), st.get("t_cond").getAsDouble(), 1e-12);
                assertEquals(st.get("eta").getAsDouble() - 1, st.get("deviation").getAsDouble(), 1e-12);
                assertEquals(grid.get(k + 1).getAsDouble(), st.get("t_next").getAsDouble());
            }
        }
        assertEquals(List.of("1", "1", "1", "", "", ""), prompts);
        assertEquals("euler", json.getAsJsonObject("config").get("solver").getAsString());

        Map<String, Safetensors.Tensor> latents = Safetensors.decode(Files.readAllBytes(out.resolve("latents.safetensors")));
        assertEquals(List.of("x_init", "x_final"), new ArrayList<>(latents.keySet()));
        assertArrayEquals(new int[] {6, 3}, latents.get("x_init").shape());
        assertArrayEquals(new int[] {6, 3}, latents.get("x_final").shape());
        float[] noise3 = new SampleStream(9, 3).gaussianVector(3);
        assertArrayEquals(noise3, Arrays.copyOfRange(latents.get("x_init").data(), 9, 12));
        try (var files = Files.list(out)) {
            assertEquals(Set.of("trajectory.json", "latents.safetensors", OutputFolder.MARKER),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()),
                    "no temporary files are left behind");
        }
        try (var siblings = Files.list(dir)) {
            assertEquals(Set.of("spec.json", "out"),
                    siblings.map(f -> f.getFileName().toString()).collect(Collectors.toSet()),
                    "no temporary folder is left beside --out");
        }
    }

    @Test
    void heunRecordsItsCorrectorEvaluationAtTheNextGridTime() throws IOException {
        Path out = dir.resolve("heun");
        CliRun o = CliRun.of("sample", "--gmm-spec", spec().toString(), "--prompt", "0", "--steps", "4",
                "--policy", "fixed:0.2", "--solver", "heun", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        assertEquals("heun", json.getAsJsonObject("config").get("solver").getAsString());
        JsonArray steps = json.getAsJsonArray("samples").get(0).getAsJsonObject().getAsJsonArray("steps");
        for (int k = 0; k < 4; k++) {
            JsonObject st = steps.get(k).getAsJsonObject();
            double tCond = st.get("t_cond").getAsDouble();
            List<Double> expected = k < 3 ? List.of(tCond, st.get("t_next").getAsDouble()) : List.of(tCond);
            assertEquals(expected, doubles(st.getAsJsonArray("t_evals")), "k=" + k + " (no corrector onto t = 0)");
        }
    }

    private static List<Double> doubles(JsonArray a) {
        List<Double> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsDouble()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--steps 0|--steps must be at least 1",
            "--gamma -1|--gamma must be a finite number",
            "--gamma NaN|--gamma must be a finite number",
            "--gamma Infinity|--gamma must be a finite number",
            "--guidance -2|--guidance must be a finite number",
            "--guidance NaN|--guidance must be a finite number",
            "--sigma-min 0|--sigma-min must be in (0, 0.1]",
            "--sigma-min 0.5|--sigma-min must be in (0, 0.1]",
            "--schedule cosine|unknown schedule",
            "--policy tpm|unknown policy",
            "--policy fixed:0.7|fixed deviation D must be in [-0.5, 0.5]",
            "--policy velocity:2|velocity:W needs a multiplier W in [0.5, 1.5] (got 2.0)",
            "--policy velocity:1.005 --gamma 2|--policy velocity:1.005 fixes the velocity multiplier",
            "--mode warp|unknown mode",
            "--bound wide|unknown bound",
            "--n 0|--n must be at least 1",
            "--prompt 7|out of range",
            "--prompt dog|component index",
            "--backbone flux|holds no weights",
            "--backbone sdxl|unknown backbone",
            "--steps ten|Invalid value",
            "--solver rk4|unknown solver 'rk4' (choose euler, heun or dpmpp2m)",
            "--solver heun --mode velocity-scale|use solver euler with it (got heun)",
            "--asyndm cubic|AsynDM spec 'cubic' is not quadratic",
            "--asyndm quadratic:2|must lie in (0, 1)",
            "--asyndm quadratic|does not expose; use the mask mode 'everywhere'",
            "--mask-threshold 2|--mask-threshold needs --asyndm",
            "--asyndm quadratic:everywhere --mask-threshold 0|the mask threshold must be a finite number > 0",
    })
    void badInputExitsWithCodeTwoOneLineAndWritesNothing(String extra, String expected) throws IOException {
        Path out = dir.resolve("never");
        List<String> args = new ArrayList<>(List.of("sample", "--gmm-spec", spec().toString(), "--out", out.toString()));
        if (!extra.startsWith("--prompt")) {
            args.addAll(List.of("--prompt", "0"));
        }
        args.addAll(Arrays.asList(extra.split(" ")));
        CliRun o = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertFalse(Files.exists(out), "nothing may be written on bad input");
    }

    @Test
    void velocityWSamplesWithTheVelocityMultiplierAtEveryStep() throws IOException {
        Path out = dir.resolve("velocity");
        CliRun o = CliRun.of("sample", "--backbone", "gmm", "--gmm-spec", spec().toString(), "--prompt", "1",
                "--steps", "4", "--policy", "velocity:1.25", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        for (var step : json.getAsJsonArray("samples").get(0).getAsJsonObject().getAsJsonArray("steps")) {
            JsonObject s = step.getAsJsonObject();
            assertEquals(s.get("t").getAsDouble(), s.get("t_cond").getAsDouble(), "conditioned on the grid");
            assertEquals(0.75, s.get("r").getAsDouble(), 1e-15, "ω = 0.5 + r = 1.25 at every step, k = 0 included");
        }
    }

    @Test
    void badInputInAFreshJvmIsOneLineOnStderr() throws Exception {
        // In-process runs cannot see what libraries print once per JVM: SLF4J's "no providers" notice did, when
        // the tiny backbone started DJL.
        Path out = dir.resolve("never");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(ChildJvm.command(List.of(), List.of("sample", "--backbone", "tiny",
                "--prompt", "a red circle", "--gamma", "-1", "--out", out.toString())))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertEquals(2, p.waitFor(), () -> readQuietly(err));
        assertEquals(List.of("asyncdiff sample: --gamma must be a finite number >= 0 (got -1.0)"),
                Files.readAllLines(err));
        assertFalse(Files.exists(out));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"weights\":[1],\"means\":[[0]]}|stds",
            "{broken|not valid JSON",
            "{\"weights\":[1,2],\"means\":[[0]],\"std\":1}|inconsistent",
    })
    void aBadGmmSpecIsABadInput(String json, String expected) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, json);
        Path out = dir.resolve("never");
        CliRun o = CliRun.of("sample", "--gmm-spec", bad.toString(), "--prompt", "0", "--out", out.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains(expected) && o.err().contains("bad.json"), o.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingSpecFileOrMissingOptionIsABadInput() {
        assertEquals(2, CliRun.of("sample", "--gmm-spec", dir.resolve("nope.json").toString(), "--prompt", "0").code());
        assertEquals(2, CliRun.of("sample", "--prompt", "0").code());
    }

    @Test
    void anUnwritableOutFolderIsABadInput() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        CliRun o = CliRun.of("sample", "--gmm-spec", spec().toString(), "--prompt", "0", "--out", file.resolve("sub").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--out"), o.err());
        assertEquals("x", Files.readString(file));
    }
}
