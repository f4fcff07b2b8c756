package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.awt.image.BufferedImage;
import java.util.List;

/** How a CLIP-family metric turns images into its model's input: [B, 3, S, S] normalised pixels. */
public interface ImagePreprocessor {
    NDArray pixels(NDManager manager, List<BufferedImage> images);

    /** S, the side of the square it produces, which must be the model's image size. */
    int side();
}
