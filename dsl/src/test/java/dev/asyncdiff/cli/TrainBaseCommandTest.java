package dev.asyncdiff.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

/** `train-base`: options that cannot train are refused before anything is written. */
class TrainBaseCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--arch, v3, --arch must be v1, v2 or MODULATION+POSITIONS",
            "--arch, per-block+absolute, (got per-block+absolute)",
            "--unstated-plain, 1.5, --unstated-plain must lie in [0, 1] (got 1.5)",
            "--fresh-flow, , --fresh-flow keeps the autoencoder of --init's weights",
            "--dit-steps, 0, --dit-steps must be a finite number > 0",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        Path out = dir.resolve("run");
        String[] args = value == null
                ? new String[] {"train-base", "--out", out.toString(), option}
                : new String[] {"train-base", "--out", out.toString(), option, value};
        CliRun.of(args).assertBadInput(out, expected);
    }
}
