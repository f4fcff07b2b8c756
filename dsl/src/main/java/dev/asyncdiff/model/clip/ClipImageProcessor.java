package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.nn.NativeData;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * transformers' CLIPImageProcessor as a folder's {@code preprocessor_config.json} sets it up: the image as RGB (alpha
 * dropped), its shortest side resized to {@code size} with Pillow's bicubic filter (the longer side to
 * ⌊size·long/short⌋, as transformers rounds), the centred {@code crop_size} square cut out (top-left corner at
 * ⌊(side − crop)/2⌋), levels scaled by 1/255 and normalised per channel by {@code image_mean} and {@code image_std}.
 * torchvision's {@code Resize(size, BICUBIC)} and {@code CenterCrop(crop)} on a PIL image (CLIP's and BLIP's own
 * transforms) compute the same but for the crop's corner, which {@link CropOrigin} says.
 *
 * @param shortest the resize target of the shortest side
 * @param crop     the side of the centre crop, the model's image_size
 * @param origin   how the crop's corner is rounded when the margin is odd
 */
public record ClipImageProcessor(int shortest, int crop, float[] mean, float[] std, CropOrigin origin)
        implements ImagePreprocessor {
    public static final String FILE = "preprocessor_config.json";
    /** Pillow's code for bicubic resampling, the only filter this processor implements. */
    static final int PIL_BICUBIC = 3;

    /** Where a centre crop starts along a side that leaves a margin (side − crop) to split. */
    public enum CropOrigin {
        /** transformers' image processors: ⌊margin / 2⌋. */
        FLOOR,
        /** torchvision's center_crop: int(round(margin / 2.0)), Python's round taking halves to the even integer. */
        ROUND_HALF_EVEN;

        int of(int margin) {
            return this == FLOOR ? margin / 2 : (int) Math.rint(margin / 2.0);
        }
    }

    /** transformers' processor: the crop's corner at ⌊margin / 2⌋. */
    public ClipImageProcessor(int shortest, int crop, float[] mean, float[] std) {
        this(shortest, crop, mean, std, CropOrigin.FLOOR);
    }

    public ClipImageProcessor {
        if (shortest < crop || crop <= 0) {
            throw new IllegalArgumentException("the resized shortest side " + shortest + " must be at least the crop "
                    + crop + " (and the crop positive)");
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values each (RGB)");
        }
    }

    /**
     * Reads {@code dir/preprocessor_config.json}; an IllegalArgumentException naming the file and the field when it
     * is missing or asks for a step this processor does not implement (another filter, a step switched off).
     */
    public static ClipImageProcessor read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no " + FILE + " (the CLIPImageProcessor settings; copy the "
                    + "one published with the model, or with its processor)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
        int resample = json.has("resample") ? json.get("resample").getAsInt() : PIL_BICUBIC;
        if (resample != PIL_BICUBIC) {
            throw new IllegalArgumentException(file + ": \"resample\" " + resample + " is not supported; only "
                    + PIL_BICUBIC + " (bicubic), which CLIP's processors use");
        }
        for (String step : List.of("do_resize", "do_center_crop", "do_rescale", "do_normalize")) {
            if (json.has(step) && !json.get(step).getAsBoolean()) {
                throw new IllegalArgumentException(file + ": \"" + step + "\" false is not supported (CLIP's "
                        + "processors resize, crop, rescale and normalise)");
            }
        }
        return new ClipImageProcessor(side(file, json, "size", "shortest_edge"), side(file, json, "crop_size", "height"),
                triple(file, json, "image_mean"), triple(file, json, "image_std"));
    }

    /** A number, or the object form {"shortest_edge": n} / {"height": n, "width": n} (square crops only). */
    private static int side(Path file, JsonObject json, String key, String inner) {
        JsonElement e = json.get(key);
        if (e == null) {
            throw new IllegalArgumentException(file + " has no \"" + key + "\"");
        }
        if (e.isJsonPrimitive()) {
            return e.getAsInt();
        }
        JsonObject o = e.getAsJsonObject();
        if (!o.has(inner) || o.has("width") && o.get("width").getAsInt() != o.get(inner).getAsInt()) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be a number or {\"" + inner
                    + "\": n}" + (inner.equals("height") ? " with an equal width" : "") + " (got " + e + ")");
        }
        return o.get(inner).getAsInt();
    }

    private static float[] triple(Path file, JsonObject json, String key) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != 3) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be a list of 3 numbers (got " + e + ")");
        }
        JsonArray a = e.getAsJsonArray();
        return new float[] {a.get(0).getAsFloat(), a.get(1).getAsFloat(), a.get(2).getAsFloat()};
    }

    @Override
    public int side() {
        return crop;
    }

    /** The processed images as pixel values [B, 3, crop, crop] on {@code manager}. */
    @Override
    public NDArray pixels(NDManager manager, List<BufferedImage> images) {
        float[] out = new float[images.size() * 3 * crop * crop];
        for (int b = 0; b < images.size(); b++) {
            int[][] levels = resizedCrop(images.get(b));
            for (int c = 0; c < 3; c++) {
                int base = (b * 3 + c) * crop * crop;
                for (int i = 0; i < crop * crop; i++) {
                    out[base + i] = (levels[c][i] / 255f - mean[c]) / std[c];
                }
            }
        }
        return NativeData.of(manager, out, new Shape(images.size(), 3, crop, crop));
    }

    /** Levels [3][crop·crop] after the resize and the centre crop. */
    int[][] resizedCrop(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] planes = levels(image);
        boolean wide = w > h;
        int shortSide = wide ? h : w;
        int longSide = wide ? w : h;
        int resizedLong = (int) ((double) shortest * longSide / shortSide);
        int rw = wide ? resizedLong : shortest;
        int rh = wide ? shortest : resizedLong;
        int[][] resized = PilBicubic.resize(planes, w, h, rw, rh);
        int top = origin.of(rh - crop);
        int left = origin.of(rw - crop);
        int[][] out = new int[3][crop * crop];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < crop; y++) {
                System.arraycopy(resized[c], (top + y) * rw + left, out[c], y * crop, crop);
            }
        }
        return out;
    }

    /** The image's RGB levels 0–255 as planes [3][h·w], row-major (alpha dropped, as converting to RGB drops it). */
    static int[][] levels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int[][] planes = new int[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            for (int c = 0; c < 3; c++) {
                planes[c][i] = (rgb[i] >> (16 - 8 * c)) & 0xFF;
            }
        }
        return planes;
    }
}
