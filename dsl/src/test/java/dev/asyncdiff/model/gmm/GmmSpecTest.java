package dev.asyncdiff.model.gmm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GmmSpecTest {

    @Test
    void sharedStdIsCopiedToEveryComponentAndWeightsAreNormalised() {
        GmmSpec s = GmmSpec.parse("{\"weights\":[1,3],\"means\":[[0],[1]],\"std\":0.5}");
        assertArrayEquals(new double[] {0.5, 0.5}, s.stds());
        assertArrayEquals(new double[] {0.25, 0.75}, s.weights(), 1e-15);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json|not valid JSON",
            "[1,2]|JSON object",
            "{\"means\":[[0]],\"std\":1}|weights",
            "{\"weights\":[1],\"std\":1}|means",
            "{\"weights\":[1],\"means\":[[0]]}|stds",
            "{\"weights\":[1,1],\"means\":[[0]],\"std\":1}|inconsistent",
            "{\"weights\":[1,1],\"means\":[[0],[0,1]],\"std\":1}|dimensions",
            "{\"weights\":[-1],\"means\":[[0]],\"std\":1}|weight 0",
            "{\"weights\":[1],\"means\":[[0]],\"std\":0}|std 0",
            "{\"weights\":[1],\"means\":[[\"a\"]],\"std\":1}|must be a number",
            "{\"weights\":[1],\"means\":[[0]],\"std\":1,\"stds\":[1]}|either",
    })
    void malformedSpecsSayWhatIsWrong(String json, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> GmmSpec.parse(json)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
