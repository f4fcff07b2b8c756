package dev.asyncdiff.bench;

import dev.asyncdiff.model.tiny.ShippedTinyModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped model's velocity agrees with bench/tiny_reference.py, an independent PyTorch implementation, on 4
 * prompts and 2 null-condition rows. Needs Debian's python3-torch: without it the test fails, saying what to install
 * (CI installs it).
 */
class TinyParityTest {
    @TempDir
    static Path dir;

    static TinyParity.Result result;

    @BeforeAll
    static void compareWithTheReference() throws IOException {
        result = TinyParity.run(ShippedTinyModel.get(), PythonReference.locate(), 4, 2, 7, dir);
    }

    @Test
    void velocityWithPerSampleTimesMatchesTheReference() {
        assertTrue(result.perSample().maxRel() <= TinyParity.TARGET, result.perSample().toString());
    }

    @Test
    void velocityWithPerTokenTimesMatchesTheReference() {
        assertTrue(result.perToken().maxRel() <= TinyParity.TARGET, result.perToken().toString());
    }

    @Test
    void crossAttentionMapsMatchTheReference() {
        assertTrue(result.attention().maxAbs() <= TinyParity.TARGET, result.attention().toString());
    }
}
