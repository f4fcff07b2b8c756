package dev.asyncdiff.model.checkpoint;

import ai.djl.util.Float16Utils;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints laid out like the published ones, with real-size headers but no data: each file gets its header and
 * is then extended to its full length, which the file system stores sparsely, so 24 GB of "weights" take no space
 * and no time to write.
 */
public final class FakeCheckpoints {
    /**
     * The published configurations besides the transformers' ({@link PublishedTransformer}), field for field as far
     * as the manifests read them.
     */
    static final String VAE = """
            {"_class_name": "AutoencoderKL", "act_fn": "silu", "block_out_channels": [128, 256, 512, 512],
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D",
             "DownEncoderBlock2D"], "in_channels": 3, "latent_channels": 16, "layers_per_block": 2,
             "mid_block_add_attention": true, "norm_num_groups": 32, "out_channels": 3, "sample_size": 1024,
             "scaling_factor": 1.5305, "shift_factor": 0.0609, "up_block_types": ["UpDecoderBlock2D",
             "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"], "use_post_quant_conv": false,
             "use_quant_conv": false}""";
    static final String CLIP_L = """
            {"architectures": ["%s"], "hidden_act": "quick_gelu", "hidden_size": 768, "intermediate_size": 3072,
             "layer_norm_eps": 1e-05, "max_position_embeddings": 77, "model_type": "clip_text_model",
             "num_attention_heads": 12, "num_hidden_layers": 12, "projection_dim": 768, "vocab_size": 49408}""";
    static final String CLIP_BIG_G = """
            {"architectures": ["CLIPTextModelWithProjection"], "hidden_act": "gelu", "hidden_size": 1280,
             "intermediate_size": 5120, "layer_norm_eps": 1e-05, "max_position_embeddings": 77,
             "model_type": "clip_text_model", "num_attention_heads": 20, "num_hidden_layers": 32,
             "projection_dim": 1280, "vocab_size": 49408}""";
    public static final String T5_XXL = """
            {"architectures": ["T5EncoderModel"], "d_ff": 10240, "d_kv": 64, "d_model": 4096,
             "feed_forward_proj": "gated-gelu", "is_gated_act": true, "layer_norm_epsilon": 1e-06,
             "model_type": "t5", "num_heads": 64, "num_layers": 24, "relative_attention_max_distance": 128,
             "relative_attention_num_buckets": 32, "vocab_size": 32128}""";

    private FakeCheckpoints() {
    }

    /** The tensors a complete checkpoint of this configuration holds (every non-optional manifest entry). */
    public static Map<String, long[]> complete(Architecture a, Path dir) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (ExpectedTensor e : a.manifest(ComponentConfig.read(dir)).tensors().values()) {
            if (e.role() != ExpectedTensor.Role.OPTIONAL) {
                out.put(e.name(), e.shape());
            }
        }
        return out;
    }

    /** A component folder: config.json, then a complete header-only checkpoint in {@code shards} files. */
    public static Path component(Path dir, Architecture a, String config, String fileStem, int shards) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ComponentConfig.FILE), config);
        write(dir, fileStem, complete(a, dir), "BF16", shards);
        return dir;
    }

    /** A published transformer's folder, header-only, as diffusers names its files. */
    public static Path transformer(Path dir, PublishedTransformer t, int shards) throws IOException {
        return component(dir, t.architecture, t.json(), "diffusion_pytorch_model", shards);
    }

    /**
     * Header-only safetensors of these tensors: {@code stem.safetensors}, or with {@code shards} > 1 the files
     * {@code stem-0000i-of-0000n.safetensors} and {@code stem.safetensors.index.json}.
     */
    public static void write(Path dir, String stem, Map<String, long[]> tensors, String dtype, int shards)
            throws IOException {
        if (shards == 1) {
            headerOnly(dir.resolve(stem + ".safetensors"), tensors, dtype);
            return;
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        JsonObject weightMap = new JsonObject();
        for (int s = 0; s < shards; s++) {
            String file = String.format("%s-%05d-of-%05d.safetensors", stem, s + 1, shards);
            Map<String, long[]> part = new LinkedHashMap<>();
            for (String n : names.subList(names.size() * s / shards, names.size() * (s + 1) / shards)) {
                part.put(n, tensors.get(n));
                weightMap.addProperty(n, file);
            }
            headerOnly(dir.resolve(file), part, dtype);
        }
        JsonObject index = new JsonObject();
        index.add("metadata", new JsonObject());
        index.add("weight_map", weightMap);
        Files.writeString(dir.resolve(stem + ShardIndex.SUFFIX), index.toString());
    }

    /**
     * The JSON header of tensors stored back to back in this dtype, built as plain maps and lists for Gson to write:
     * name → {dtype, shape, data_offsets}.
     */
    static byte[] header(Map<String, long[]> tensors, String dtype) {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long bytes = TensorDType.parse(dtype).bytes * TensorEntry.elements(e.getValue());
            header.put(e.getKey(), Map.of("dtype", dtype, "shape", e.getValue(),
                    "data_offsets", List.of(offset, offset + bytes)));
            offset += bytes;
        }
        return new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes of the data section those tensors need. */
    static long dataBytes(Map<String, long[]> tensors, String dtype) {
        return tensors.values().stream().mapToLong(TensorEntry::elements).sum() * TensorDType.parse(dtype).bytes;
    }

    /** A safetensors file whose data section is a hole of the right length. */
    static void headerOnly(Path file, Map<String, long[]> tensors, String dtype) throws IOException {
        byte[] json = header(tensors, dtype);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            f.write(json);
            f.setLength(8 + json.length + dataBytes(tensors, dtype));
        }
    }

    /**
     * A safetensors file holding these values, as F32, as BF16 (each value rounded to nearest-even, as torch's
     * conversion does) or as F16 (rounded by DJL's Java conversion, {@link #f16}), in the given order.
     */
    public static void withData(Path file, Map<String, long[]> shapes, Map<String, float[]> values, String dtype)
            throws IOException {
        byte[] json = header(shapes, dtype);
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + json.length + dataBytes(shapes, dtype)))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (String name : shapes.keySet()) {
            for (float v : values.get(name)) {
                if (dtype.equals("BF16")) {
                    int bits = Float.floatToIntBits(v);
                    buf.putShort((short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16));
                } else if (dtype.equals("F16")) {
                    buf.putShort(Float16Utils.floatToHalf(v));
                } else {
                    buf.putFloat(v);
                }
            }
        }
        Files.write(file, buf.array());
    }

    /** The values an F16 file of {@link #withData} holds, as F32: each value rounded to F16 and back. */
    public static Map<String, float[]> f16(Map<String, float[]> values) {
        Map<String, float[]> out = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            float[] rounded = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                rounded[i] = Float16Utils.halfToFloat(Float16Utils.floatToHalf(v[i]));
            }
            out.put(name, rounded);
        });
        return out;
    }

    /** A diffusers folder for a backbone: model_index.json and every weighted component, the big ones sharded. */
    public static Path diffusers(Path root, BackboneLayout backbone) throws IOException {
        Files.createDirectories(root);
        JsonObject index = new JsonObject();
        index.addProperty("_class_name", backbone == BackboneLayout.SD35 ? "StableDiffusion3Pipeline"
                : "FluxPipeline");
        for (Map.Entry<String, Architecture> c : backbone.components().entrySet()) {
            JsonArray entry = new JsonArray();
            entry.add(c.getKey().startsWith("text") ? "transformers" : "diffusers");
            entry.add(c.getValue().className);
            index.add(c.getKey(), entry);
        }
        Files.writeString(root.resolve(DiffusersFolder.INDEX), index.toString());
        if (backbone == BackboneLayout.SD35) {
            transformer(root.resolve("transformer"), PublishedTransformer.SD35_MEDIUM, 1);
            component(root.resolve("text_encoder"), Architecture.CLIP_TEXT_WITH_PROJECTION,
                    CLIP_L.formatted("CLIPTextModelWithProjection"), "model", 1);
            component(root.resolve("text_encoder_2"), Architecture.CLIP_TEXT_WITH_PROJECTION, CLIP_BIG_G, "model", 1);
            component(root.resolve("text_encoder_3"), Architecture.T5_ENCODER, T5_XXL, "model", 2);
        } else {
            transformer(root.resolve("transformer"), PublishedTransformer.FLUX1_DEV, 3);
            component(root.resolve("text_encoder"), Architecture.CLIP_TEXT, CLIP_L.formatted("CLIPTextModel"),
                    "model", 1);
            component(root.resolve("text_encoder_2"), Architecture.T5_ENCODER, T5_XXL, "model", 2);
        }
        component(root.resolve("vae"), Architecture.AUTOENCODER_KL, VAE, "diffusion_pytorch_model", 1);
        return root;
    }
}
