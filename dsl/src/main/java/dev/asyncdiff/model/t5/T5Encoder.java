package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentFolder;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The T5 v1.1 encoder (transformers' T5EncoderModel: T5-XXL in SD3.5 and Flux) on the weights of a published
 * {@code text_encoder_2}/{@code text_encoder_3} folder, resident or streamed ({@link T5Residency}). Streamed, only
 * block 0's relative-position table and the final RMSNorm weight stay loaded; each encode maps the token embedding
 * in to look the ids up, then each block's weights in turn, runs the block and frees them, so memory holds at most
 * the embedding or one block (T5-XXL in FP32: 0.5 GB or 0.8 GB) besides the activations, not all 4.76 B parameters.
 * <p>
 * Each block: x + O(attention(RMSNorm(x))) with the relative-position bias of block 0 added to the scores and no
 * 1/√d scaling, then x + W_o(GELU_tanh(W_i0·RMSNorm(x)) ⊙ W_i1·RMSNorm(x)). The pipelines pass no attention mask.
 * <p>
 * FP16 (the CUDA plan, {@link dev.asyncdiff.model.device.Precision}) takes the guard of Hugging Face transformers,
 * where T5 is known to overflow FP16: W_o stays FP32, and an FP16 result that holds an infinity is clamped to
 * ±(65504 − 1000) ({@link #finite}). transformers clamps its FP16 hidden states after each layer; here the hidden
 * states are FP32 throughout (as they become in transformers too once block 0's FP32 W_o output is added), so the
 * FP16 values left to guard are the products of the FP16 projections, each clamped before it is widened.
 * <p>
 * Every array a pass returns belongs to the manager of its input ids.
 */
public final class T5Encoder implements AutoCloseable {
    private static final String TABLE = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
    private static final String FINAL_NORM = "encoder.final_layer_norm.weight";
    private static final String EMBEDDING = "shared.weight";
    /** FP16's largest finite value less transformers' margin: where FP16 results are clamped to. */
    static final float FP16_CLAMP = 65504f - 1000f;

    private final NDManager manager;
    private final T5Config config;
    private final ComponentFolder folder;
    private final Manifest manifest;
    private final Placement placement;
    private final boolean streamed;
    private final CheckpointWeights resident;
    private int liveParts;
    private int peakLiveParts;

    private T5Encoder(NDManager manager, T5Config config, ComponentFolder folder, Manifest manifest,
                      Placement placement, boolean streamed) {
        this.manager = manager;
        this.config = config;
        this.folder = folder;
        this.manifest = manifest;
        this.placement = placement;
        this.streamed = streamed;
        this.resident = CheckpointWeights.load(manager, folder, manifest,
                streamed ? k -> k.equals(TABLE) || k.equals(FINAL_NORM) : k -> true, placement);
    }

    /** Opens a T5 encoder folder, FP32 on the CPU, resident or streamed as {@link T5Residency#AUTO} decides. */
    public static T5Encoder open(Path dir) {
        return open(dir, Placement.cpu(), T5Residency.AUTO);
    }

    /**
     * Opens a T5 encoder folder after checking its headers against the manifest of its config, its weights placed
     * as {@code placement} says; streamed, it loads no block until an encode.
     */
    public static T5Encoder open(Path dir, Placement placement, T5Residency residency) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> {
            Manifest manifest = Architecture.T5_ENCODER.manifest(folder.config());
            boolean streamed = residency.streams(bytes(manifest, placement), memoryOf(placement));
            return new T5Encoder(manager, T5Config.of(folder.config()), folder, manifest, placement, streamed);
        });
    }

    /** Bytes of the weights in the types the placement keeps them in. */
    static long bytes(Manifest manifest, Placement placement) {
        return manifest.tensors().values().stream().filter(e -> e.role() != ExpectedTensor.Role.OPTIONAL)
                .mapToLong(e -> e.elements() * placement.dtypeOf(e.name()).getNumOfBytes()).sum();
    }

    private static long memoryOf(Placement placement) {
        return (placement.device().isGpu() ? ComputeDevice.CUDA : ComputeDevice.CPU).memoryBytes();
    }

    public T5Config config() {
        return config;
    }

    /** Whether the weights are streamed block by block on every encode rather than kept loaded. */
    public boolean streamed() {
        return streamed;
    }

    /**
     * The most parts (the embedding table, a block) whose weights were loaded at once during the encodes so far:
     * 1 when streamed, as each part is freed before the next is loaded; every part when resident.
     */
    public int peakLiveParts() {
        return streamed ? peakLiveParts : config.layers() + 1;
    }

    /** @param ids token ids [B, L] (INT64) → the final hidden states [B, L, d_model] (FP32) */
    public NDArray encode(NDArray ids) {
        NDManager out = ids.getManager();
        NDArray h;
        try (Part part = part(out, k -> k.equals(EMBEDDING))) {
            h = Layers.embedding(part.weights.get(EMBEDDING), ids);
        }
        NDArray bias = RelativePositionBias.of(out, resident.get(TABLE), (int) ids.getShape().get(1), config);
        for (int i = 0; i < config.layers(); i++) {
            String prefix = "encoder.block." + i + ".";
            try (Part part = part(out, k -> k.startsWith(prefix))) {
                h.attach(part.scope);
                h = block(h, bias, part.weights, prefix + "layer.");
                h.attach(out);
            }
        }
        bias.close();
        NDArray normed = Layers.rmsNorm(h, resident.get(FINAL_NORM), config.eps());
        h.close();
        return normed;
    }

    /** One part of a pass (the embedding, a block): its scope, and its weights, loaded into it when streamed. */
    private Part part(NDManager out, Predicate<String> keys) {
        NDManager scope = out.newSubManager();
        if (!streamed) {
            return new Part(scope, resident, false);
        }
        try {
            CheckpointWeights w = CheckpointWeights.load(scope, folder, manifest, keys, placement);
            peakLiveParts = Math.max(peakLiveParts, ++liveParts);
            return new Part(scope, w, true);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** Closing frees everything made in the scope, streamed weights included. */
    private final class Part implements AutoCloseable {
        final NDManager scope;
        final CheckpointWeights weights;
        private final boolean loaded;

        Part(NDManager scope, CheckpointWeights weights, boolean loaded) {
            this.scope = scope;
            this.weights = weights;
            this.loaded = loaded;
        }

        @Override
        public void close() {
            scope.close();
            if (loaded) {
                liveParts--;
            }
        }
    }

    private NDArray block(NDArray x, NDArray bias, CheckpointWeights w, String p) {
        NDArray n = Layers.rmsNorm(x, w.get(p + "0.layer_norm.weight"), config.eps());
        String a = p + "0.SelfAttention.";
        NDArray q = Ops.splitHeads(project(n, w, a + "q"), config.heads());
        NDArray k = Ops.splitHeads(project(n, w, a + "k"), config.heads());
        NDArray v = Ops.splitHeads(project(n, w, a + "v"), config.heads());
        // T5 folds the 1/√d of scaled dot-product attention into its initialisation: scores are q·kᵀ + bias.
        NDArray probs = q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1);
        x = x.add(project(Ops.mergeHeads(probs.matMul(v)), w, a + "o"));
        n = Layers.rmsNorm(x, w.get(p + "1.layer_norm.weight"), config.eps());
        String f = p + "1.DenseReluDense.";
        NDArray gated = Layers.geluTanh(project(n, w, f + "wi_0")).mul(project(n, w, f + "wi_1"));
        return x.add(project(gated, w, f + "wo"));
    }

    private static NDArray project(NDArray x, CheckpointWeights w, String prefix) {
        return Layers.linear(x, w.get(prefix + ".weight"), null, T5Encoder::finite);
    }

    /**
     * transformers' FP16 guard: an FP16 array holding an infinity is clamped to ±{@link #FP16_CLAMP}, so the layers
     * after it see finite numbers; other arrays are returned as they are.
     */
    static NDArray finite(NDArray x) {
        if (x.getDataType() != DataType.FLOAT16 || !x.isInfinite().any().getBoolean()) {
            return x;
        }
        return x.clip(-FP16_CLAMP, FP16_CLAMP);
    }

    @Override
    public void close() {
        manager.close();
    }
}
