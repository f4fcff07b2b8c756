package dev.asyncdiff.model.t5;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** T5's buckets (32, bidirectional, maximum distance 128, as T5-XXL), worked out by hand from the definition. */
class RelativePositionBiasTest {
    @ParameterizedTest(name = "key − query = {0} → bucket {1}")
    @CsvSource({
            "0, 0",      // the query itself
            "-1, 1", "-7, 7",          // keys before: exact distances below 8
            "1, 17", "7, 23",          // keys after: the same, offset by 16
            "-8, 8", "8, 24",          // the first log-spaced bucket: 8 + ⌊8·log(8/8)/log(16)⌋
            "-12, 9", "12, 25",        // ⌊8·log(1.5)/log(16)⌋ = ⌊1.17⌋ = 1
            "-16, 10", "-20, 10",      // log(2)/log(16) = 1/4 → 2; log(2.5)/log(16)·8 = 2.64 → 2
            "-32, 12", "-64, 14",      // 4 and 6
            "-127, 15", "-128, 15",    // ⌊7.98⌋ = 7; 8 is cut to the last bucket of the half, 15
            "1000, 31"                 // far after: 16 + 15
    })
    void bucketsFollowTheT5Definition(int relative, int bucket) {
        assertEquals(bucket, RelativePositionBias.bucket(relative, 32, 128));
    }
}
