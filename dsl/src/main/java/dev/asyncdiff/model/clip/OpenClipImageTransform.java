package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * OpenCLIP's evaluation transform as HPSv2 builds it ({@code image_transform(size, is_train=False)} in HPSv2's copy of
 * open_clip): the image as RGB, to a float tensor (levels / 255) FIRST, then torchvision's {@code Resize(size,
 * BICUBIC)} on that tensor — its shortest side to {@code size}, the longer to ⌊size·long/short⌋, resampled as
 * {@link AntialiasedBicubic} (torchvision ≥ 0.17 antialiases tensors by default; older versions did not, and score
 * slightly differently) — then {@code CenterCrop(size)} (top-left corner at round((side − size)/2), rounding half to
 * even as Python's round does) and the per-channel normalisation. Unlike transformers' CLIPImageProcessor (Pillow on
 * 8-bit levels, {@link ClipImageProcessor}), nothing is rounded to levels after resizing.
 *
 * @param size the resized shortest side and the crop's side: the model's image size
 */
public record OpenClipImageTransform(int size, float[] mean, float[] std) implements ImagePreprocessor {
    /** OpenAI's CLIP normalisation (open_clip's OPENAI_DATASET_MEAN / _STD), which HPSv2 uses. */
    public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public OpenClipImageTransform {
        if (size <= 0 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("an image transform needs a positive size and 3 means and stds");
        }
    }

    /** The transform HPSv2 evaluates with, at the model's image size. */
    public static OpenClipImageTransform openAi(int size) {
        return new OpenClipImageTransform(size, OPENAI_MEAN, OPENAI_STD);
    }

    @Override
    public int side() {
        return size;
    }

    /** The transformed images [B, 3, size, size] on {@code manager}. */
    @Override
    public NDArray pixels(NDManager manager, List<BufferedImage> images) {
        float[] out = new float[images.size() * 3 * size * size];
        for (int b = 0; b < images.size(); b++) {
            float[][] planes = resizedCrop(images.get(b));
            for (int c = 0; c < 3; c++) {
                int base = (b * 3 + c) * size * size;
                for (int i = 0; i < size * size; i++) {
                    out[base + i] = (planes[c][i] - mean[c]) / std[c];
                }
            }
        }
        return NativeData.of(manager, out, new Shape(images.size(), 3, size, size));
    }

    /** Values in [0, 1] (before normalisation) [3][size·size] after the resize and the centre crop. */
    float[][] resizedCrop(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] levels = ClipImageProcessor.levels(image);
        float[][] planes = new float[3][w * h];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) {
                planes[c][i] = levels[c][i] / 255f;
            }
        }
        boolean wide = w > h;
        int resizedLong = (int) ((double) size * Math.max(w, h) / Math.min(w, h));
        int rw = wide ? resizedLong : size;
        int rh = wide ? size : resizedLong;
        float[][] resized = rw == w && rh == h ? planes : AntialiasedBicubic.resize(planes, w, h, rw, rh);
        int top = ClipImageProcessor.CropOrigin.ROUND_HALF_EVEN.of(rh - size);
        int left = ClipImageProcessor.CropOrigin.ROUND_HALF_EVEN.of(rw - size);
        float[][] out = new float[3][size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(resized[c], (top + y) * rw + left, out[c], y * size, size);
            }
        }
        return out;
    }
}
