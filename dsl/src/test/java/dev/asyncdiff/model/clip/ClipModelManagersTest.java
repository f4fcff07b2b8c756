package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.nn.NoGrad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A CLIPModel pass leaves its arrays with the manager of its inputs, which the caller closes: none is kept by the
 * weights' manager, which lives as long as the model (a reward scoring thousands of images would otherwise hold every
 * activation until it is closed).
 */
class ClipModelManagersTest {
    @TempDir
    Path tmp;

    @Test
    void bothEmbeddingsBelongToTheInputsManager() throws Exception {
        Path dir = ClipModelFolders.write(tmp.resolve("l"), ClipModelFolders.CLIP_L_STYLE, "F32", 11);
        Map<String, Safetensors.Tensor> in = ClipModelParityTest.inputs(5);
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager();
             ClipModel clip = ClipModel.load(dir)) {
            assertSame(m, clip.imageEmbeds(RandomCheckpoint.array(m, in.get("pixels"))).getManager());
            assertSame(m, clip.textEmbeds(RandomCheckpoint.array(m, in.get("ids")).toType(DataType.INT64, false))
                    .getManager());
        }
    }
}
