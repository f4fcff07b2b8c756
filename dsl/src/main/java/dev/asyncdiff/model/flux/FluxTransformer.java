package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.sd3.BlockScratch;
import dev.asyncdiff.model.sd3.MmditOps;
import dev.asyncdiff.model.sd3.MmditOutput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flux.1 transformer (diffusers' FluxTransformer2DModel) on the weights of a published {@code transformer/}
 * folder: the velocity prediction for latents x [B, C, H, W] (the VAE's 16 channels; packed here into 2×2 tokens,
 * {@link FluxLatents}) with T5 tokens [B, S, joint_attention_dim] and CLIP's pooled embedding
 * [B, pooled_projection_dim], at times σ ∈ [0, 1] given per sample [B] or per packed image token [B, N] (AsynDM;
 * N = (H/2)·(W/2) in row-major order), and, for guidance-distilled checkpoints (Flux.1-dev), a guidance scale [B].
 * As in diffusers, the model multiplies time and guidance by 1000 itself (SD3's transformer receives 1000·σ).
 * <p>
 * Per-token times: each image token is conditioned on the embedding of its own time (plus the guidance and pooled
 * text embeddings) in the double-stream blocks, the single-stream blocks and the final norm; the text tokens, which
 * have no place in the latent, on the mean of the sample's token times — in the double-stream blocks and in their
 * part of the single-stream blocks' joint sequence alike, as SD3's text stream. A constant map is the per-sample
 * case.
 * <p>
 * {@link #imageTextAttention} exposes each joint attention's image→text map (the double-stream blocks, then the
 * single-stream blocks: text first in both) as {@link MmditOps#imageToText} defines it. The pipeline passes no
 * attention mask, so T5's padding tokens are keys like any other and appear in the maps.
 * <p>
 * Every array a forward pass makes belongs to the manager of its input x; the weights belong to this model.
 */
public final class FluxTransformer implements AutoCloseable {
    /** Time and guidance enter the embedders in these units. */
    static final float MODEL_UNITS = 1000f;

    private final NDManager manager;
    private final FluxConfig config;
    private final CheckpointWeights w;
    private final List<DoubleStreamBlock> doubles;
    private final List<SingleStreamBlock> singles;

    private FluxTransformer(NDManager manager, FluxConfig config, CheckpointWeights w) {
        this.manager = manager;
        this.config = config;
        this.w = w;
        List<DoubleStreamBlock> d = new ArrayList<>();
        for (int i = 0; i < config.doubleLayers(); i++) {
            d.add(new DoubleStreamBlock(w, "transformer_blocks." + i, config.heads()));
        }
        List<SingleStreamBlock> s = new ArrayList<>();
        for (int i = 0; i < config.singleLayers(); i++) {
            s.add(new SingleStreamBlock(w, "single_transformer_blocks." + i, config.heads()));
        }
        this.doubles = List.copyOf(d);
        this.singles = List.copyOf(s);
    }

    /** Loads a transformer folder, FP32 on the CPU, after checking its headers against the manifest of its config. */
    public static FluxTransformer load(Path dir) {
        return load(dir, Placement.cpu());
    }

    /** Loads a transformer folder as {@code placement} says, after checking its headers against the manifest. */
    public static FluxTransformer load(Path dir, Placement placement) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> new FluxTransformer(manager,
                FluxConfig.of(folder.config()), CheckpointWeights.load(manager, folder,
                Architecture.FLUX_TRANSFORMER.manifest(folder.config()), placement)));
    }

    /**
     * A transformer on weights already in memory (random weights of the real shapes, for a benchmark); it owns
     * {@code manager}, which should hold them, and closes it.
     */
    public static FluxTransformer of(NDManager manager, FluxConfig config, CheckpointWeights weights) {
        return new FluxTransformer(manager, config, weights);
    }

    public FluxConfig config() {
        return config;
    }

    /**
     * @param t        σ, [B] per sample or [B, N] per packed image token
     * @param guidance the distilled guidance scale [B] (e.g. 3.5) for a model with guidance embeddings, else null
     */
    public NDArray velocity(NDArray x, NDArray t, NDArray guidance, NDArray context, NDArray pooled) {
        return forward(x, t, guidance, context, pooled, false).velocity();
    }

    /**
     * Head-averaged image→text attention probabilities of each block, double-stream blocks first,
     * [block][sample][image token][text token], each row summing to 1 over the text tokens.
     */
    public float[][][][] imageTextAttention(NDArray x, NDArray t, NDArray guidance, NDArray context,
                                            NDArray pooled) {
        return MmditOps.toArrays(forward(x, t, guidance, context, pooled, true).imageToText());
    }

    /** The velocity [B, C, H, W] and, when {@code keepAttention}, each block's image→text map [B, N, S]. */
    public MmditOutput forward(NDArray x, NDArray t, NDArray guidance, NDArray context, NDArray pooled,
                               boolean keepAttention) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != config.latentChannels()) {
            throw new IllegalArgumentException("latents " + s + " must be [B, " + config.latentChannels()
                    + ", H, W]");
        }
        if ((guidance != null) != config.guidance()) {
            throw new IllegalArgumentException(config.guidance()
                    ? "this Flux transformer is guidance-distilled: give a guidance scale (e.g. 3.5) per sample"
                    : "this Flux transformer has no guidance embedding: give no guidance scale");
        }
        NDArray hidden = MmditOps.linear(FluxLatents.pack(x), w, "x_embedder");
        long n = hidden.getShape().get(1);
        boolean perToken = t.getShape().dimension() == 2;
        if (perToken && t.getShape().get(1) != n) {
            throw new IllegalArgumentException("per-token times " + t.getShape() + " must have one column per "
                    + "packed image token (" + n + ")");
        }
        NDArray shared = MmditOps.mlpEmbedder(pooled, w, "time_text_embed.text_embedder");
        if (guidance != null) {
            shared = shared.add(embed(guidance.mul(MODEL_UNITS), "time_text_embed.guidance_embedder"));
        }
        NDArray units = t.mul(MODEL_UNITS);
        NDArray tembImage = embed(units, "time_text_embed.timestep_embedder")
                .add(perToken ? shared.expandDims(1) : shared);
        NDArray tembText = perToken
                ? embed(units.mean(new int[] {1}), "time_text_embed.timestep_embedder").add(shared) : tembImage;

        NDArray c = MmditOps.linear(context, w, "context_embedder");
        int textTokens = (int) c.getShape().get(1);
        FluxRope rope = FluxRope.of(x.getManager(), config.axesDimsRope(), FluxLatents.ids(textTokens,
                (int) (s.get(2) / FluxConfig.PACK), (int) (s.get(3) / FluxConfig.PACK)));
        List<NDArray> maps = new ArrayList<>();
        NDManager pass = x.getManager();
        for (DoubleStreamBlock block : doubles) {
            try (BlockScratch scratch = new BlockScratch(pass, new NDArray[] {hidden, c}, tembImage, tembText)) {
                DoubleStreamBlock.Streams out = block.forward(hidden, c, tembImage, tembText, rope, keepAttention);
                hidden = scratch.keep(out.x());
                c = scratch.keep(out.c());
                if (keepAttention) {
                    maps.add(scratch.keep(out.imageToText()));
                }
            }
        }
        NDArray joint = NDArrays.concat(new NDList(c, hidden), 1);
        for (SingleStreamBlock block : singles) {
            try (BlockScratch scratch = new BlockScratch(pass, new NDArray[] {joint}, tembImage, tembText)) {
                SingleStreamBlock.Output out = block.forward(joint, tembImage, tembText, textTokens, rope,
                        keepAttention);
                joint = scratch.keep(out.h());
                if (keepAttention) {
                    maps.add(scratch.keep(out.imageToText()));
                }
            }
        }
        hidden = joint.get(new NDIndex(":, " + textTokens + ":"));
        NDArray packed = MmditOps.linear(MmditOps.continuousNorm(hidden, tembImage, w, "norm_out.linear"), w,
                "proj_out");
        return new MmditOutput(FluxLatents.unpack(packed, s.get(2), s.get(3)), maps);
    }

    /** A sinusoidal embedder on values in model units of any shape: [B] → [B, D], [B, N] → [B, N, D]. */
    private NDArray embed(NDArray v, String prefix) {
        return MmditOps.mlpEmbedder(MmditOps.timestepFeatures(v), w, prefix);
    }

    @Override
    public void close() {
        manager.close();
    }
}
