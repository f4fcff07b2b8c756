package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Params;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DiT's weights rewritten for sampling so that two constants of every forward pass are paid once, at load
 * time, instead of on every call:
 * <ul>
 *   <li>adaLN's {@code x·(1 + scale) + shift}: the 1 is added to the bias (or, for adaLN-single, the per-block
 *   table) of every scale chunk, so the pass multiplies by the modulation directly;</li>
 *   <li>attention's 1/√d: the query projections (the q third of {@code qkv}, and {@code xq}) are multiplied by it,
 *   so the scores need no scaling (each score array is the largest of its block).</li>
 * </ul>
 * The function computed is the same up to float rounding (parity with the PyTorch reference holds as before);
 * training and saving use the unfolded weights, so only {@link TinyFlowModel}'s sampling sees these.
 */
final class InferenceFolding {
    /** The scale chunks among a block's six modulation chunks. */
    private static final int[] BLOCK_SCALES = {DiT.SCALE1, DiT.SCALE2};
    /** The scale chunk among the final layer's two. */
    private static final int[] FINAL_SCALES = {DiT.FINAL_SCALE};

    private InferenceFolding() {
    }

    static Params fold(Params params, DiTArchitecture arch, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>(params.all());
        int c = DiT.WIDTH;
        boolean shared = arch.modulation() == DiTArchitecture.Modulation.SHARED;
        for (int i = 0; i < DiT.DEPTH; i++) {
            String b = "block" + i;
            String scaleHolder = shared ? b + ".table" : b + ".mod.b";
            out.put(scaleHolder, plusOne(params.get(scaleHolder), BLOCK_SCALES, manager));
            out.put(b + ".qkv.w", scaledRows(params.get(b + ".qkv.w"), c, DiT.SCORE_SCALE, manager));
            out.put(b + ".qkv.b", scaledRows(params.get(b + ".qkv.b"), c, DiT.SCORE_SCALE, manager));
            out.put(b + ".xq.w", scaledRows(params.get(b + ".xq.w"), c, DiT.SCORE_SCALE, manager));
            out.put(b + ".xq.b", scaledRows(params.get(b + ".xq.b"), c, DiT.SCORE_SCALE, manager));
        }
        String finalHolder = shared ? "final.table" : "final.mod.b";
        out.put(finalHolder, plusOne(params.get(finalHolder), FINAL_SCALES, manager));
        return Params.of(out);
    }

    /** A copy of the vector {@code v} (chunks of width C) with 1 added to each listed chunk. */
    private static NDArray plusOne(NDArray v, int[] chunks, NDManager manager) {
        float[] data = v.toFloatArray();
        for (int chunk : chunks) {
            for (int j = chunk * DiT.WIDTH; j < (chunk + 1) * DiT.WIDTH; j++) {
                data[j] += 1f;
            }
        }
        return NativeData.of(manager, data, v.getShape());
    }

    /** A copy of {@code w} ([out, …] or [out]) with its first {@code rows} output rows multiplied by {@code s}. */
    private static NDArray scaledRows(NDArray w, int rows, float s, NDManager manager) {
        float[] data = w.toFloatArray();
        int perRow = (int) (w.getShape().size() / w.getShape().get(0));
        for (int j = 0; j < rows * perRow; j++) {
            data[j] *= s;
        }
        return NativeData.of(manager, data, w.getShape());
    }
}
