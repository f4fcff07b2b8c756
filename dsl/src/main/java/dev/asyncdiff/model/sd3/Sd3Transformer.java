package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SD3 / SD3.5 MMDiT (diffusers' SD3Transformer2DModel) on the weights of a published {@code transformer/}
 * folder: the velocity prediction for latents x [B, C, H, W] with text tokens [B, S, joint_attention_dim] and pooled
 * text embeddings [B, pooled_projection_dim], at timesteps in the model's units (1000·σ) given per sample [B] or per
 * image token [B, N] (AsynDM; N = (H/p)·(W/p) tokens in row-major order of the patch grid).
 * <p>
 * With per-token timesteps each image token is modulated by the embedding of its own timestep (plus the pooled text
 * embedding), and so is the final norm; the text stream has no position in the latent, so it is conditioned on the
 * mean of the sample's token timesteps. A constant map therefore gives exactly the per-sample result.
 * <p>
 * {@link #imageTextAttention} exposes, for AsynDM's masks, each block's joint attention from image queries to text
 * keys (image tokens come first in the joint sequence), averaged over heads and renormalised over the text tokens;
 * SD3.5's image-only second attention is not part of it.
 * <p>
 * Every array a forward pass makes belongs to the manager of its input x; the weights belong to this model.
 */
public final class Sd3Transformer implements AutoCloseable {
    private final NDManager manager;
    private final Sd3Config config;
    private final CheckpointWeights w;
    private final List<JointBlock> blocks;

    private Sd3Transformer(NDManager manager, Sd3Config config, CheckpointWeights w) {
        this.manager = manager;
        this.config = config;
        this.w = w;
        List<JointBlock> b = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            b.add(new JointBlock(w, "transformer_blocks." + i, config, config.dual(i), i == config.layers() - 1));
        }
        this.blocks = List.copyOf(b);
    }

    /** Loads a transformer folder, FP32 on the CPU, after checking its headers against the manifest of its config. */
    public static Sd3Transformer load(Path dir) {
        return load(dir, Placement.cpu());
    }

    /** Loads a transformer folder as {@code placement} says, after checking its headers against the manifest. */
    public static Sd3Transformer load(Path dir, Placement placement) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> new Sd3Transformer(manager,
                Sd3Config.of(folder.config()), CheckpointWeights.load(manager, folder,
                Architecture.SD3_TRANSFORMER.manifest(folder.config()), placement)));
    }

    /**
     * A transformer on weights already in memory (random weights of the real shapes, for a benchmark); it owns
     * {@code manager}, which should hold them, and closes it.
     */
    public static Sd3Transformer of(NDManager manager, Sd3Config config, CheckpointWeights weights) {
        return new Sd3Transformer(manager, config, weights);
    }

    public Sd3Config config() {
        return config;
    }

    /** @param t timesteps (1000·σ), [B] per sample or [B, N] per image token */
    public NDArray velocity(NDArray x, NDArray t, NDArray context, NDArray pooled) {
        return forward(x, t, context, pooled, false).velocity();
    }

    /**
     * Head-averaged image→text attention probabilities of each block, [block][sample][image token][text token],
     * each row summing to 1 over the text tokens.
     */
    public float[][][][] imageTextAttention(NDArray x, NDArray t, NDArray context, NDArray pooled) {
        return MmditOps.toArrays(forward(x, t, context, pooled, true).imageToText());
    }

    /** The velocity and, when {@code keepAttention}, each block's image→text map [B, N, S]. */
    public MmditOutput forward(NDArray x, NDArray t, NDArray context, NDArray pooled, boolean keepAttention) {
        Shape s = x.getShape();
        int p = config.patch();
        long h = s.get(2) / p;
        long wd = s.get(3) / p;
        if (s.get(2) % p != 0 || s.get(3) % p != 0 || h > config.posMaxSize() || wd > config.posMaxSize()) {
            throw new IllegalArgumentException("latent " + s + " must have sides that are multiples of " + p
                    + " and at most " + (p * config.posMaxSize()));
        }
        boolean perToken = t.getShape().dimension() == 2;
        if (perToken && t.getShape().get(1) != h * wd) {
            throw new IllegalArgumentException("per-token timesteps " + t.getShape() + " must have one column per "
                    + "image token (" + h * wd + ")");
        }
        NDArray hidden = patchEmbed(x, h, wd).add(positions(h, wd));
        NDArray pooledEmb = MmditOps.mlpEmbedder(pooled, w, "time_text_embed.text_embedder");
        NDArray tembImage = timeEmbedding(t).add(perToken ? pooledEmb.expandDims(1) : pooledEmb);
        NDArray tembText = perToken ? timeEmbedding(t.mean(new int[] {1})).add(pooledEmb) : tembImage;
        NDArray c = MmditOps.linear(context, w, "context_embedder");
        List<NDArray> maps = new ArrayList<>();
        for (JointBlock block : blocks) {
            try (BlockScratch scratch = new BlockScratch(x.getManager(), new NDArray[] {hidden, c}, tembImage,
                    tembText)) {
                JointBlock.Streams out = block.forward(hidden, c, tembImage, tembText, keepAttention);
                hidden = scratch.keep(out.x());
                c = out.c() == null ? null : scratch.keep(out.c());
                if (keepAttention) {
                    maps.add(scratch.keep(out.imageToText()));
                }
            }
        }
        hidden = MmditOps.linear(MmditOps.continuousNorm(hidden, tembImage, w, "norm_out.linear"), w, "proj_out");
        // Each token's output is a p × p × C patch in (p, q, c) order.
        int cOut = config.outChannels();
        return new MmditOutput(hidden.reshape(s.get(0), h, wd, p, p, cOut).transpose(0, 5, 1, 3, 2, 4)
                .reshape(s.get(0), cOut, h * p, wd * p), maps);
    }

    /** The p × p patch convolution as one matrix product over (c, p, q)-ordered patches. */
    private NDArray patchEmbed(NDArray x, long h, long wd) {
        Shape s = x.getShape();
        int p = config.patch();
        NDArray patches = x.reshape(s.get(0), s.get(1), h, p, wd, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(s.get(0), h * wd, s.get(1) * p * p);
        NDArray kernel = w.get("pos_embed.proj.weight");
        return Layers.linear(patches, kernel.reshape(kernel.getShape().get(0), -1), w.get("pos_embed.proj.bias"));
    }

    /** The stored position table, centre-cropped to the latent's h × w token grid. */
    private NDArray positions(long h, long wd) {
        int max = config.posMaxSize();
        long top = (max - h) / 2;
        long left = (max - wd) / 2;
        return w.get("pos_embed.pos_embed").reshape(max, max, config.width())
                .get(new NDIndex(top + ":" + (top + h) + ", " + left + ":" + (left + wd)))
                .reshape(1, h * wd, config.width());
    }

    /** The timestep embedder on t of any shape: [B] → [B, D], [B, N] → [B, N, D]. */
    private NDArray timeEmbedding(NDArray t) {
        return MmditOps.mlpEmbedder(MmditOps.timestepFeatures(t), w, "time_text_embed.timestep_embedder");
    }

    @Override
    public void close() {
        manager.close();
    }
}
