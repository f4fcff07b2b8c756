package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentFolder;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The T5 v1.1 encoder (transformers' T5EncoderModel: T5-XXL in SD3.5 and Flux) on the weights of a published
 * {@code text_encoder_2}/{@code text_encoder_3} folder, streamed: only block 0's relative-position table and the final
 * RMSNorm weight stay loaded; each pass maps the token embedding in to look the ids up, then each block's weights in
 * turn, runs the block and frees them, so native memory holds at most the embedding or one block (T5-XXL: 0.5 GB or
 * 0.8 GB in FP32) besides the activations, not all 4.76 B parameters (19 GB).
 * <p>
 * Each block: x + O(attention(RMSNorm(x))) with the relative-position bias of block 0 added to the scores and no
 * 1/√d scaling, then x + W_o(GELU_tanh(W_i0·RMSNorm(x)) ⊙ W_i1·RMSNorm(x)). The pipelines pass no attention mask.
 * Computed in FP32 (BF16 checkpoints are widened as they load).
 * <p>
 * Every array a pass returns belongs to the manager of its input ids.
 */
public final class T5Encoder implements AutoCloseable {
    private static final String TABLE = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
    private static final String FINAL_NORM = "encoder.final_layer_norm.weight";

    private final NDManager manager;
    private final T5Config config;
    private final ComponentFolder folder;
    private final Manifest manifest;
    private final CheckpointWeights resident;

    private T5Encoder(NDManager manager, T5Config config, ComponentFolder folder, Manifest manifest,
                      CheckpointWeights resident) {
        this.manager = manager;
        this.config = config;
        this.folder = folder;
        this.manifest = manifest;
        this.resident = resident;
    }

    /** Opens a T5 encoder folder after checking its headers against the manifest of its config; loads no block. */
    public static T5Encoder open(Path dir) {
        return ComponentLoader.load(dir, (manager, folder) -> {
            Manifest manifest = Architecture.T5_ENCODER.manifest(folder.config());
            return new T5Encoder(manager, T5Config.of(folder.config()), folder, manifest,
                    CheckpointWeights.load(manager, folder, manifest, k -> k.equals(TABLE) || k.equals(FINAL_NORM)));
        });
    }

    public T5Config config() {
        return config;
    }

    /** @param ids token ids [B, L] (INT64) → the final hidden states [B, L, d_model] */
    public NDArray encode(NDArray ids) {
        NDManager out = ids.getManager();
        NDArray h;
        try (NDManager part = out.newSubManager()) {
            h = Layers.embedding(load(part, k -> k.equals("shared.weight")).get("shared.weight"), ids);
        }
        NDArray bias = RelativePositionBias.of(out, resident.get(TABLE), (int) ids.getShape().get(1), config);
        for (int i = 0; i < config.layers(); i++) {
            String prefix = "encoder.block." + i + ".";
            try (NDManager part = out.newSubManager()) {
                CheckpointWeights w = load(part, k -> k.startsWith(prefix));
                h.attach(part);
                h = block(h, bias, w, prefix + "layer.");
                h.attach(out);
            }
        }
        bias.close();
        NDArray normed = Layers.rmsNorm(h, resident.get(FINAL_NORM), config.eps());
        h.close();
        return normed;
    }

    private CheckpointWeights load(NDManager part, Predicate<String> keys) {
        return CheckpointWeights.load(part, folder, manifest, keys);
    }

    private NDArray block(NDArray x, NDArray bias, CheckpointWeights w, String p) {
        NDArray n = Layers.rmsNorm(x, w.get(p + "0.layer_norm.weight"), config.eps());
        String a = p + "0.SelfAttention.";
        NDArray q = Ops.splitHeads(Layers.linearNoBias(n, w, a + "q"), config.heads());
        NDArray k = Ops.splitHeads(Layers.linearNoBias(n, w, a + "k"), config.heads());
        NDArray v = Ops.splitHeads(Layers.linearNoBias(n, w, a + "v"), config.heads());
        // T5 folds the 1/√d of scaled dot-product attention into its initialisation: scores are q·kᵀ + bias.
        NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1);
        x = x.add(Layers.linearNoBias(Ops.mergeHeads(probs.matMul(v)), w, a + "o"));
        n = Layers.rmsNorm(x, w.get(p + "1.layer_norm.weight"), config.eps());
        String f = p + "1.DenseReluDense.";
        NDArray gated = Layers.geluTanh(Layers.linearNoBias(n, w, f + "wi_0"))
                .mul(Layers.linearNoBias(n, w, f + "wi_1"));
        return x.add(Layers.linearNoBias(gated, w, f + "wo"));
    }

    @Override
    public void close() {
        manager.close();
    }
}
