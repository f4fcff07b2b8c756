package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * One forward pass of an MMDiT (SD3 or Flux): the velocity and, when asked for, each joint attention's image→text
 * map [B, N, S] ({@link MmditOps#imageToText}) in the order the blocks run; empty otherwise.
 */
public record MmditOutput(NDArray velocity, List<NDArray> imageToText) {
    public MmditOutput {
        imageToText = List.copyOf(imageToText);
    }
}
