package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.nn.Params;

import static dev.asyncdiff.nn.Ops.attention;
import static dev.asyncdiff.nn.Ops.gelu;
import static dev.asyncdiff.nn.Ops.layerNorm;
import static dev.asyncdiff.nn.Ops.linear;
import static dev.asyncdiff.nn.Ops.mergeHeads;
import static dev.asyncdiff.nn.Ops.paddingBias;
import static dev.asyncdiff.nn.Ops.splitHeads;

/**
 * Token embeddings plus a small pre-norm transformer: token ids [B, L] → token states [B, L, C] and a pooled
 * state [B, C] (the masked mean). The learned null condition (all L positions valid) stands for "no prompt" in
 * classifier-free guidance.
 */
final class TextEncoder {
    static final int WIDTH = 128;
    static final int LAYERS = 2;
    static final int HEADS = 4;

    private final Params params;
    private final int vocabulary;
    private final int maxTokens;

    TextEncoder(Params params, int vocabulary, int maxTokens) {
        this.params = params;
        this.vocabulary = vocabulary;
        this.maxTokens = maxTokens;
    }

    static Params.Layout layout(int vocabulary, int maxTokens) {
        Params.Layout l = new Params.Layout()
                .add("embed", Params.Init.NORMAL_002, vocabulary, WIDTH)
                .add("pos", Params.Init.NORMAL_002, maxTokens, WIDTH);
        for (int i = 0; i < LAYERS; i++) {
            String b = "layer" + i;
            l.layerNorm(b + ".ln1", WIDTH).linear(b + ".qkv", WIDTH, 3 * WIDTH).linear(b + ".proj", WIDTH, WIDTH)
                    .layerNorm(b + ".ln2", WIDTH).linear(b + ".fc1", WIDTH, 4 * WIDTH)
                    .linear(b + ".fc2", 4 * WIDTH, WIDTH);
        }
        return l.layerNorm("ln_out", WIDTH)
                .add("null_tokens", Params.Init.NORMAL_002, maxTokens, WIDTH)
                .add("null_pooled", Params.Init.NORMAL_002, WIDTH);
    }

    Params params() {
        return params;
    }

    int maxTokens() {
        return maxTokens;
    }

    /** Padded id rows [B][L] → {tokens [B, L, C], pooled [B, C], mask [B, L]}. */
    NDArray[] encode(NDManager manager, int[][] ids) {
        int b = ids.length;
        float[] oneHot = new float[b * maxTokens * vocabulary];
        float[] mask = new float[b * maxTokens];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < maxTokens; j++) {
                int id = ids[i][j];
                oneHot[(i * maxTokens + j) * vocabulary + id] = 1f;
                mask[i * maxTokens + j] = id == 0 ? 0f : 1f;
            }
        }
        NDArray m = NativeData.of(manager, mask, new Shape(b, maxTokens));
        NDArray h = NativeData.of(manager, oneHot, new Shape(b, maxTokens, vocabulary)).matMul(params.get("embed"))
                .add(params.get("pos"));
        NDArray bias = paddingBias(m);
        for (int i = 0; i < LAYERS; i++) {
            String n = "layer" + i;
            NDArray qkv = linear(layerNorm(h, params, n + ".ln1"), params, n + ".qkv");
            NDArray q = splitHeads(qkv.get(":, :, 0:" + WIDTH), HEADS);
            NDArray k = splitHeads(qkv.get(":, :, " + WIDTH + ":" + 2 * WIDTH), HEADS);
            NDArray v = splitHeads(qkv.get(":, :, " + 2 * WIDTH + ":"), HEADS);
            h = h.add(linear(mergeHeads(attention(q, k, v, bias)[0]), params, n + ".proj"));
            NDArray f = gelu(linear(layerNorm(h, params, n + ".ln2"), params, n + ".fc1"));
            h = h.add(linear(f, params, n + ".fc2"));
        }
        h = layerNorm(h, params, "ln_out");
        NDArray m3 = m.expandDims(2);
        NDArray pooled = h.mul(m3).sum(new int[] {1}).div(m3.sum(new int[] {1}));
        return new NDArray[] {h, pooled, m};
    }

    /** The null condition for n samples: {tokens [n, L, C], pooled [n, C], mask [n, L] of ones}. */
    NDArray[] unconditional(NDManager manager, int n) {
        NDArray tokens = params.get("null_tokens").expandDims(0).repeat(0, n);
        NDArray pooled = params.get("null_pooled").expandDims(0).repeat(0, n);
        return new NDArray[] {tokens, pooled, manager.ones(new Shape(n, maxTokens))};
    }
}
