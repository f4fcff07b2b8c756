package dev.asyncdiff.model.tiny;

import dev.asyncdiff.io.Safetensors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weight files that cannot be used give one clear line, not a stack of native errors. */
class TinyWeightsTest {
    private static final byte[] VOCAB = "a\nred\ncircle\n".getBytes(StandardCharsets.UTF_8);

    private static String failure(byte[] weights, byte[] vocab) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinyFlowModel.fromBytes(weights, vocab, "test.safetensors"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.safetensors"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTruncatedFileIsReportedAsCorrupt() {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("ae.latent_scale", new Safetensors.Tensor(new int[] {1}, new float[] {1}));
        t.put("ae.enc.in.w", new Safetensors.Tensor(new int[] {32, 3, 3, 3}, new float[864]));
        byte[] whole = Safetensors.encode(t);
        String m = failure(Arrays.copyOf(whole, whole.length - 100), VOCAB);
        assertTrue(m.contains("truncated or corrupt"), m);
    }

    @Test
    void randomBytesAreNotWeights() {
        String m = failure(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, VOCAB);
        assertTrue(m.contains("not a safetensors file"), m);
    }

    @Test
    void aMissingTensorIsNamed() {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("ae.latent_scale", new Safetensors.Tensor(new int[] {1}, new float[] {1}));
        String m = failure(Safetensors.encode(t), VOCAB);
        assertTrue(m.contains("lacks tensor ae.enc.in.w"), m);
    }

    @Test
    void aMisshapedTensorIsNamedWithBothShapes() {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("ae.latent_scale", new Safetensors.Tensor(new int[] {1}, new float[] {1}));
        t.put("ae.enc.in.w", new Safetensors.Tensor(new int[] {16, 3, 3, 3}, new float[432]));
        String m = failure(Safetensors.encode(t), VOCAB);
        assertTrue(m.contains("ae.enc.in.w") && m.contains("[16, 3, 3, 3]") && m.contains("[32, 3, 3, 3]"), m);
    }
}
