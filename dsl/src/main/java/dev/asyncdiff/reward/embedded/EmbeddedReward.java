package dev.asyncdiff.reward.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.WorldInput;
import dev.asyncdiff.world.ImageTensors;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * An embedded reward model as a {@link Reward}: {@code embedded-clip} scores the cosine between image and caption
 * features, in [−1, 1] (the paper's tables report CLIP score on this cosine scale, e.g. 0.2683 for SD3.5; torchmetrics'
 * CLIPScore is 100·max(cos, 0)); {@code embedded-pref-a/b/c} score the Bradley–Terry logit (only differences between
 * images carry meaning, as with ImageReward). Prompts must be captions of the world. Images of another size are
 * fitted by {@link WorldInput#fit}. The shipped weights are read from the classpath on the first score, once per JVM.
 */
public final class EmbeddedReward implements Reward {
    /** One instance per model, so each model's weights are loaded at most once. */
    public static final List<EmbeddedReward> ALL = Arrays.stream(EmbeddedModel.values())
            .map(m -> new EmbeddedReward(m, null)).toList();
    private static final int BATCH = 64;

    private final EmbeddedModel model;
    private EmbeddedNetwork network;

    private EmbeddedReward(EmbeddedModel model, EmbeddedNetwork network) {
        this.model = model;
        this.network = network;
    }

    /** A reward scoring with the given network rather than the shipped one, e.g. one just trained. */
    static EmbeddedReward of(EmbeddedModel model, EmbeddedNetwork network) {
        return new EmbeddedReward(model, network);
    }

    @Override
    public String name() {
        return model.rewardName();
    }

    @Override
    public boolean needsPrompt() {
        return true;
    }

    @Override
    public synchronized double[] score(List<BufferedImage> images, List<String> prompts) {
        Reward.checkBatch(this, images, prompts);
        if (network == null) {
            network = EmbeddedWeights.loadResource(NDManager.newBaseManager(), model);
        }
        return score(network, images, prompts, name());
    }

    /** Scores with any network of the family, in batches, gradients off (and the thread's grad mode restored). */
    static double[] score(EmbeddedNetwork network, List<BufferedImage> images, List<String> prompts, String name) {
        double[] out = new double[images.size()];
        int side = EmbeddedNetwork.IMAGE;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int from = 0; from < out.length; from += BATCH) {
                int n = Math.min(BATCH, out.length - from);
                float[] pixels = new float[n * 3 * side * side];
                for (int i = 0; i < n; i++) {
                    float[] chw = ImageTensors.toChw(WorldInput.fit(images.get(from + i)));
                    System.arraycopy(chw, 0, pixels, i * chw.length, chw.length);
                }
                try (NDScope ignored = new NDScope()) {
                    NDArray x = NativeData.of(manager, pixels, new Shape(n, 3, side, side));
                    float[] s = network.score(x, prompts.subList(from, from + n)).toFloatArray();
                    for (int i = 0; i < n; i++) {
                        out[from + i] = s[i];
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " scores captions of the embedded world only: "
                    + e.getMessage(), e);
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }
}
