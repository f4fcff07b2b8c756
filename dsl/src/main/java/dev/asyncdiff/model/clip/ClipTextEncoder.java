package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;

import java.nio.file.Path;

/**
 * A CLIP text encoder (transformers' CLIPTextModel or CLIPTextModelWithProjection: CLIP-L, OpenCLIP-bigG) on the
 * weights of a published {@code text_encoder*} folder: token plus position embeddings, pre-LayerNorm layers of
 * causally masked self-attention and an MLP, a final LayerNorm, the end-of-text token pooled and, with a projection,
 * projected. The pipelines pass no attention mask, so padding tokens are attended like any other (causally).
 * <p>
 * Every array a pass makes belongs to the manager of its input; the weights belong to this model.
 */
public final class ClipTextEncoder implements AutoCloseable {
    private static final String P = "text_model.";
    private static final float MASKED = -1e9f;

    private final NDManager manager;
    private final ClipConfig config;
    private final CheckpointWeights w;
    private final boolean projection;

    private ClipTextEncoder(NDManager manager, ClipConfig config, CheckpointWeights w, boolean projection) {
        this.manager = manager;
        this.config = config;
        this.w = w;
        this.projection = projection;
    }

    /** Loads a text encoder folder, FP32 on the CPU, as {@link #load(Path, Placement)} does. */
    public static ClipTextEncoder load(Path dir) {
        return load(dir, Placement.cpu());
    }

    /**
     * Loads a text encoder folder as {@code placement} says, after checking its headers against the manifest of its
     * config: a CLIPTextModelWithProjection when the config names that class, else a CLIPTextModel.
     */
    public static ClipTextEncoder load(Path dir, Placement placement) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> {
            boolean projection = folder.config().className()
                    .equals(Architecture.CLIP_TEXT_WITH_PROJECTION.className);
            Architecture a = projection ? Architecture.CLIP_TEXT_WITH_PROJECTION : Architecture.CLIP_TEXT;
            return new ClipTextEncoder(manager, ClipConfig.of(folder.config()),
                    CheckpointWeights.load(manager, folder, a.manifest(folder.config()), placement), projection);
        });
    }

    /**
     * The text tower of a CLIPModel, on weights already checked and loaded under the same keys ({@code text_model.*},
     * {@code text_projection}); it owns {@code manager}, which the CLIPModel shares.
     */
    static ClipTextEncoder withProjection(NDManager manager, ClipConfig config, CheckpointWeights w) {
        return new ClipTextEncoder(manager, config, w, true);
    }

    public ClipConfig config() {
        return config;
    }

    /** @param ids token ids [B, T] (INT64), T at most max_position_embeddings */
    public ClipTextOutput encode(NDArray ids) {
        if (ids.getShape().dimension() != 2 || ids.getShape().get(1) > config.maxPositions()) {
            throw new IllegalArgumentException("token ids " + ids.getShape() + " must be [batch, tokens] with at most "
                    + config.maxPositions() + " tokens");
        }
        long t = ids.getShape().get(1);
        NDArray x = Layers.embedding(w.get(P + "embeddings.token_embedding.weight"), ids);
        try (NDArray positions = w.get(P + "embeddings.position_embedding.weight").get(new NDIndex(":" + t))) {
            x = x.add(positions);
        }
        NDArray causal = causalBias(ids.getManager(), t);
        NDArray penultimate = x;
        for (int i = 0; i < config.layers(); i++) {
            penultimate = x;
            x = ClipEncoderLayer.apply(x, causal, w, P + "encoder.layers." + i, config.heads(), config.activation(),
                    config.eps());
        }
        NDArray last = Layers.layerNorm(x, w, P + "final_layer_norm", config.eps());
        NDArray pooled = atEndOfText(last, ids);
        return new ClipTextOutput(penultimate, last, pooled,
                projection ? Layers.linearNoBias(pooled, w, "text_projection") : null);
    }

    /** [1, 1, T, T]: 0 where a token may attend (itself and earlier tokens), a large negative number after it. */
    private static NDArray causalBias(NDManager m, long t) {
        NDArray positions = m.arange(0f, t, 1f);
        return positions.reshape(1, t).gt(positions.reshape(t, 1)).toType(DataType.FLOAT32, false).mul(MASKED)
                .reshape(1, 1, t, t);
    }

    /**
     * Each row of {@code last} at its end-of-text token: the first position holding eos_token_id, or, for configs
     * with the legacy id 2, the first position of the largest id (as transformers pools).
     */
    private NDArray atEndOfText(NDArray last, NDArray ids) {
        NDArray marks = config.eosTokenId() == ClipConfig.LEGACY_EOS ? ids : ids.eq(config.eosTokenId());
        long[] at = marks.toType(DataType.INT64, false).argMax(1).toLongArray();
        NDList rows = new NDList();
        for (int b = 0; b < at.length; b++) {
            rows.add(last.get(b).get(at[b]));
        }
        return NDArrays.stack(rows);
    }

    @Override
    public void close() {
        manager.close();
    }
}
