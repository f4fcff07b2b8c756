package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.ManifestReport;
import dev.asyncdiff.model.checkpoint.StateDictShapes;
import dev.asyncdiff.model.checkpoint.TensorEntry;
import dev.asyncdiff.model.checkpoint.TensorLoader;
import dev.asyncdiff.model.device.Placement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OpenCLIP CLIP state dict (open_clip's key names, {@link Architecture#OPEN_CLIP}) read as the transformers
 * CLIPModel that {@link ClipModel} runs: the same computation under other names. OpenCLIP checkpoints carry no
 * config, so the dimensions come from the tensors' shapes (as open_clip's own build_model_from_openai_state_dict
 * reads them), except the heads, which no shape shows: they are width ÷ head width ({@link HeadWidths}). The
 * activation is exact GELU (open_clip's default; a quick-GELU model is named "-quickgelu" there) and every
 * LayerNorm's ε is 10⁻⁵ (torch's default, which open_clip keeps).
 * <p>
 * Renaming: {@code visual.conv1} → the patch embedding, {@code visual.class_embedding}, {@code
 * visual.positional_embedding}, {@code visual.ln_pre} → {@code pre_layrnorm}, {@code ln_post} → {@code
 * post_layernorm}, {@code ln_final} → {@code final_layer_norm}; in each block {@code ln_1/ln_2} → {@code
 * layer_norm1/2}, {@code mlp.c_fc/c_proj} → {@code mlp.fc1/fc2}, and nn.MultiheadAttention's {@code in_proj_weight}
 * [3·width, width] and {@code in_proj_bias} cut in thirds into q, k and v (in that order); {@code visual.proj} and
 * {@code text_projection} are matrices applied as x·P, so transformers' Linear weights are their transposes. The text
 * tower pools at the largest token id (open_clip's {@code text.argmax(dim=-1)}), the end-of-text token.
 */
public final class OpenClipCheckpoint {
    /** Per-head widths of the two towers: the one dimension a state dict does not show. */
    public record HeadWidths(int vision, int text) {
        /** OpenCLIP ViT-H/14 (open_clip's model_configs/ViT-H-14.json: vision head_width 80; text 16 heads of 64). */
        public static final HeadWidths VIT_H_14 = new HeadWidths(80, 64);
    }

    /** torch.nn.LayerNorm's default ε, which open_clip's towers use. */
    private static final double EPS = 1e-5;

    private OpenClipCheckpoint() {
    }

    /**
     * The CLIPModel-style config of the dimensions {@code tensors} show (field names as transformers' CLIPConfig),
     * naming no class so that both {@link Architecture#OPEN_CLIP} and {@link Architecture#CLIP_MODEL} derive their
     * manifests from it; an IllegalArgumentException naming {@code file} and the first tensor it cannot do without.
     */
    public static ComponentConfig config(Path file, Map<String, TensorEntry> tensors, HeadWidths heads) {
        try {
            return new ComponentConfig(file, dimensions(tensors, heads));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(file + " does not hold an OpenCLIP CLIP model: " + e.getMessage());
        }
    }

    /** The config's JSON: transformers' CLIPConfig fields, each from the shape that gives it. */
    private static JsonObject dimensions(Map<String, TensorEntry> tensors, HeadWidths heads) {
        String conv = "visual.conv1.weight";
        int width = StateDictShapes.dim(tensors, conv, 0, "image tower's width");
        int patch = StateDictShapes.dim(tensors, conv, 2, "patch size");
        int positions = StateDictShapes.dim(tensors, "visual.positional_embedding", 0, "image size") - 1;
        int side = (int) Math.round(Math.sqrt(positions));
        if (side * side != positions) {
            throw new IllegalArgumentException("visual.positional_embedding holds " + (positions + 1)
                    + " positions, not a square grid plus the class token");
        }
        String words = "token_embedding.weight";
        JsonObject vision = tower("visual.", width, heads.vision(), tensors);
        vision.addProperty("patch_size", patch);
        vision.addProperty("image_size", side * patch);
        vision.addProperty("num_channels", StateDictShapes.dim(tensors, conv, 1, "image channels"));
        JsonObject text = tower("", StateDictShapes.dim(tensors, words, 1, "text tower's width"), heads.text(),
                tensors);
        text.addProperty("vocab_size", StateDictShapes.dim(tensors, words, 0, "vocabulary"));
        text.addProperty("max_position_embeddings", StateDictShapes.dim(tensors, "positional_embedding", 0,
                "text positions"));
        text.addProperty("eos_token_id", ClipConfig.LEGACY_EOS); // pool at the largest id, as open_clip does
        JsonObject c = new JsonObject();
        c.addProperty("projection_dim", StateDictShapes.dim(tensors, "visual.proj", 1, "embedding width"));
        c.add("text_config", text);
        c.add("vision_config", vision);
        return c;
    }

    /** A tower's fields; {@code prefix} is {@code visual.} for the image tower, empty for the text tower. */
    private static JsonObject tower(String prefix, int width, int headWidth, Map<String, TensorEntry> tensors) {
        if (headWidth <= 0 || width % headWidth != 0) {
            throw new IllegalArgumentException("the " + (prefix.isEmpty() ? "text" : "image") + " tower's width "
                    + width + " is not a multiple of its head width " + headWidth);
        }
        String blocks = prefix + "transformer.resblocks.";
        JsonObject t = new JsonObject();
        t.addProperty("hidden_size", width);
        t.addProperty("num_attention_heads", width / headWidth);
        t.addProperty("num_hidden_layers", StateDictShapes.count(tensors, blocks));
        t.addProperty("intermediate_size", StateDictShapes.dim(tensors, blocks + "0.mlp.c_fc.weight", 0,
                "MLP width"));
        t.addProperty("hidden_act", "gelu");
        t.addProperty("layer_norm_eps", EPS);
        return t;
    }

    /** The tensors checked against the OpenCLIP manifest of {@code config}. */
    private static ManifestReport check(ComponentConfig config, Map<String, TensorEntry> tensors) {
        return Architecture.OPEN_CLIP.manifest(config).check(tensors);
    }

    /**
     * Loads the state dict as a ClipModel on {@code placement}: the config from the shapes, every key and shape
     * checked (an IllegalArgumentException naming {@code file} and the offending keys), the tensors read and renamed.
     */
    public static ClipModel load(Path file, Map<String, TensorEntry> tensors, HeadWidths heads, Placement placement) {
        ComponentConfig config = config(file, tensors, heads);
        ManifestReport report = check(config, tensors);
        if (!report.ok()) {
            throw new IllegalArgumentException(file + " does not hold an OpenCLIP CLIP model of the shapes its "
                    + "tensors imply: " + report.problems());
        }
        NDManager manager = NDManager.newBaseManager(placement.device());
        try {
            Manifest target = Architecture.CLIP_MODEL.manifest(config);
            Map<String, NDArray> renamed = new Renaming(tensors, manager, placement).apply(config);
            return ClipModel.of(manager, config, CheckpointWeights.of(target, renamed));
        } catch (IOException e) {
            manager.close();
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Reads open_clip's tensors under transformers' names. */
    private record Renaming(Map<String, TensorEntry> tensors, NDManager manager, Placement placement) {
        Map<String, NDArray> apply(ComponentConfig config) throws IOException {
            Map<String, NDArray> out = new LinkedHashMap<>();
            String v = "vision_model.";
            move(out, "visual.class_embedding", v + "embeddings.class_embedding");
            move(out, "visual.conv1.weight", v + "embeddings.patch_embedding.weight");
            move(out, "visual.positional_embedding", v + "embeddings.position_embedding.weight");
            pair(out, "visual.ln_pre", v + "pre_layrnorm");
            blocks(out, "visual.transformer.resblocks.", v + "encoder.layers.",
                    config.section("vision_config").integer("num_hidden_layers"));
            pair(out, "visual.ln_post", v + "post_layernorm");
            out.put("visual_projection.weight", read("visual.proj", "visual_projection.weight").transpose());
            String t = "text_model.";
            move(out, "token_embedding.weight", t + "embeddings.token_embedding.weight");
            move(out, "positional_embedding", t + "embeddings.position_embedding.weight");
            blocks(out, "transformer.resblocks.", t + "encoder.layers.",
                    config.section("text_config").integer("num_hidden_layers"));
            pair(out, "ln_final", t + "final_layer_norm");
            out.put("text_projection.weight", read("text_projection", "text_projection.weight").transpose());
            move(out, "logit_scale", "logit_scale");
            return out;
        }

        private void blocks(Map<String, NDArray> out, String from, String to, int layers) throws IOException {
            for (int i = 0; i < layers; i++) {
                String f = from + i;
                String o = to + i;
                pair(out, f + ".ln_1", o + ".layer_norm1");
                split(out, f + ".attn.in_proj_weight", o + ".self_attn.", ".weight");
                split(out, f + ".attn.in_proj_bias", o + ".self_attn.", ".bias");
                pair(out, f + ".attn.out_proj", o + ".self_attn.out_proj");
                pair(out, f + ".ln_2", o + ".layer_norm2");
                pair(out, f + ".mlp.c_fc", o + ".mlp.fc1");
                pair(out, f + ".mlp.c_proj", o + ".mlp.fc2");
            }
        }

        /** in_proj's thirds, in nn.MultiheadAttention's order: q, k, v. */
        private void split(Map<String, NDArray> out, String from, String to, String suffix) throws IOException {
            NDList thirds = read(from, to + "q_proj" + suffix).split(3, 0);
            out.put(to + "q_proj" + suffix, thirds.get(0));
            out.put(to + "k_proj" + suffix, thirds.get(1));
            out.put(to + "v_proj" + suffix, thirds.get(2));
        }

        /** A module with a weight and a bias (a LayerNorm or a Linear), renamed. */
        private void pair(Map<String, NDArray> out, String from, String to) throws IOException {
            move(out, from + ".weight", to + ".weight");
            move(out, from + ".bias", to + ".bias");
        }

        private void move(Map<String, NDArray> out, String from, String to) throws IOException {
            out.put(to, read(from, to));
        }

        /** The tensor {@code from}, in the type the placement gives its new name {@code to}. */
        private NDArray read(String from, String to) throws IOException {
            return TensorLoader.load(manager, tensors.get(from), placement.dtypeOf(to));
        }
    }
}
