package dev.asyncdiff.cli;

import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import dev.asyncdiff.model.clip.ClipModelFolders;
import dev.asyncdiff.reward.real.Hpsv2RewardTest;
import dev.asyncdiff.reward.real.RealReward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weights check --reward clip-score|pickscore DIR}: a reward's CLIPModel folder checked from its headers. */
class WeightsCheckRewardTest {
    @TempDir
    Path tmp;

    Path folder(String name) throws IOException {
        return FakeCheckpoints.component(tmp.resolve(name), Architecture.CLIP_MODEL, ClipModelFolders.CLIP_L_STYLE,
                "model", 1);
    }

    @Test
    void aCompleteFolderExitsZeroAndPrintsItsCount() throws IOException {
        Path dir = folder("clip");
        WeightsCheckCommandTest.Run r = WeightsCheckCommandTest.run("weights", "check", "--reward", "pickscore",
                dir.toString());
        assertEquals(0, r.code(), r.err());
        // text 60·32 + 77·32 + 2 layers + final norm; vision class, patches 48·3·4·4, 17 positions, 2 norms,
        // 2 layers; projections 48·24 + 32·24; logit_scale
        long layersText = 2 * (4 * (32 * 32 + 32) + 4 * 32 + 32 * 64 + 64 + 64 * 32 + 32);
        long layersVision = 2 * (4 * (48 * 48 + 48) + 4 * 48 + 48 * 96 + 96 + 96 * 48 + 48);
        long n = 60 * 32 + 77 * 32 + layersText + 2 * 32 + 48 + 48 * 3 * 16 + 17 * 48 + 4 * 48 + layersVision
                + 48 * 24 + 32 * 24 + 1;
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("pickscore") && l.contains("CLIPModel")
                && l.contains(String.format(java.util.Locale.ROOT, "%,d", n)) && l.endsWith(" ok")), r.out());
    }

    @Test
    void aMissingKeyIsOneLineAndExitCode2() throws IOException {
        Path dir = tmp.resolve("holes");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), ClipModelFolders.CLIP_L_STYLE);
        Map<String, long[]> tensors = FakeCheckpoints.complete(Architecture.CLIP_MODEL, dir);
        tensors.remove("logit_scale");
        FakeCheckpoints.write(dir, "model", tensors, "BF16", 1);
        CliRun.of("weights", "check", "--reward", "clip-score", dir.toString()).assertBadInput(tmp.resolve("never"),
                "does not match --reward clip-score: clip-score (CLIPModel): 1 missing: logit_scale");
    }

    @Test
    void anUnknownRewardIsOneLineAndExitCode2() throws IOException {
        CliRun.of("weights", "check", "--reward", "aesthetic", folder("x").toString()).assertBadInput(
                tmp.resolve("never"), "unknown --reward 'aesthetic' (choose one of "
                        + String.join(", ", RealReward.names()) + ")");
    }

    @Test
    void backboneAndRewardTogetherAreOneLineAndExitCode2() throws IOException {
        CliRun.of("weights", "check", "--reward", "clip-score", "--backbone", "flux", folder("y").toString())
                .assertBadInput(tmp.resolve("never"), "mutually exclusive");
    }

    @Test
    void anHpsv2CheckpointIsCheckedFromItsPickleAndCounted() throws Exception {
        Path good = Hpsv2RewardTest.folder(tmp.resolve("good"), true, false);
        WeightsCheckCommandTest.Run r = WeightsCheckCommandTest.run("weights", "check", "--reward", "hpsv2",
                good.toString());
        assertEquals(0, r.code(), r.err());
        int v = Hpsv2RewardTest.VISION;
        int t = Hpsv2RewardTest.TEXT;
        long n = v + 17L * v + v * 24L + v * 3L * 16 + 4L * v + 2 * block(v) // class, positions, proj, conv, lns
                + 77L * t + t * 24L + 1 + 20L * t + 2 * block(t) + 2L * t;  // text tower, logit_scale
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("hpsv2") && l.contains("OpenCLIP CLIP")
                && l.contains(String.format(java.util.Locale.ROOT, "%,d", n)) && l.contains("F16")
                && l.endsWith(" ok")), r.out());
        Path holes = Hpsv2RewardTest.folder(tmp.resolve("holes"), false, true);
        CliRun.of("weights", "check", "--reward", "hpsv2", holes.toString()).assertBadInput(tmp.resolve("never"),
                "does not match --reward hpsv2: hpsv2 (OpenCLIP CLIP): 1 missing: visual.ln_post.bias");
    }

    /** One open_clip residual block of width d and MLP ratio 4: 2 LayerNorms, packed qkv, out_proj, the MLP. */
    private static long block(long d) {
        return 4 * d + 3 * d * d + 3 * d + d * d + d + 4 * d * d + 4 * d + 4 * d * d + d;
    }
}
