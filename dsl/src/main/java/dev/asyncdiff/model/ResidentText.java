package dev.asyncdiff.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A real backbone's text condition as native arrays: the joint text tokens [B, S, D] and the pooled embedding
 * [B, P]. Held for a whole sampling run ({@link FlowModel#resident}) or uploaded for one call.
 */
public record ResidentText(NDArray context, NDArray pooled) {

    /** Rows of [S·D] tokens and [P] pooled values uploaded into {@code m}. */
    public static ResidentText upload(NDManager m, float[][] context, float[][] pooled, int width) {
        int b = context.length;
        return new ResidentText(
                Latents.array(m, context).reshape(new Shape(b, context[0].length / width, width)),
                Latents.array(m, pooled));
    }
}
