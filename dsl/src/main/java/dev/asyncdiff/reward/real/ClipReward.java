package dev.asyncdiff.reward.real;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.WeightsCheck;
import dev.asyncdiff.model.clip.ClipImageProcessor;
import dev.asyncdiff.model.clip.ClipModel;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.reward.Reward;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two metrics of the paper's tables that are a CLIPModel's cosine between an image and its prompt, each on the
 * model folder it was defined with (weights, tokenizer and preprocessor_config.json in one folder):
 * <ul>
 * <li>{@code clip-score}: 100·max(cos(E_I, E_C), 0) on OpenAI's CLIP ViT-L/14 (torchmetrics' CLIPScore, whose default
 * model it is: "CLIPScore(I, C) = max(100 * cos(E_I, E_C), 0)",
 * https://lightning.ai/docs/torchmetrics/stable/multimodal/clip_score.html). The paper's tables print it ÷ 100.</li>
 * <li>{@code pickscore}: exp(logit_scale)·cos(E_I, E_C) on PickScore_v1, a ViT-H/14 CLIPModel fine-tuned on
 * Pick-a-Pic, with the processor of laion/CLIP-ViT-H-14-laion2B-s32B-b79K (its model card scores
 * {@code model.logit_scale.exp() * (text_embs @ image_embs.T)} on unit-normalised embeddings).</li>
 * </ul>
 * Prompts are tokenized to CLIP's 77 positions (truncated, end-of-text kept); padding after the end-of-text token
 * cannot change its causally masked embedding, so padding to 77 scores as padding to the longest prompt does.
 */
public final class ClipReward implements Reward, AutoCloseable {
    /** Images encoded per forward pass: bounds the activations' memory (ViT-H/14, 257 tokens of width 1280). */
    static final int BATCH = 8;

    /** Which score the cosine becomes. */
    public enum Kind {
        CLIP_SCORE("clip-score", "OpenAI's CLIP ViT-L/14 (openai/clip-vit-large-patch14)"),
        PICKSCORE("pickscore", "yuvalkirstain/PickScore_v1 with the tokenizer and preprocessor_config.json of "
                + "laion/CLIP-ViT-H-14-laion2B-s32B-b79K");

        public final String rewardName;
        /** What the folder must hold, for messages. */
        public final String folder;

        Kind(String rewardName, String folder) {
            this.rewardName = rewardName;
            this.folder = folder;
        }

        /** The kind named {@code name} ({@code clip-score} or {@code pickscore}), or null for another name. */
        public static Kind named(String name) {
            for (Kind k : values()) {
                if (k.rewardName.equals(name)) {
                    return k;
                }
            }
            return null;
        }

        /** The score of one pair from its cosine and the model's stored logit_scale (a logarithm). */
        public double score(double cosine, double logitScale) {
            return this == CLIP_SCORE ? 100 * Math.max(cosine, 0) : Math.exp(logitScale) * cosine;
        }
    }

    private final Kind kind;
    private final ClipModel model;
    private final PromptTokenizer tokenizer;
    private final ClipImageProcessor processor;

    private ClipReward(Kind kind, ClipModel model, PromptTokenizer tokenizer, ClipImageProcessor processor) {
        this.kind = kind;
        this.model = model;
        this.tokenizer = tokenizer;
        this.processor = processor;
    }

    /**
     * Loads the model, tokenizer and processor of {@code dir}; an IllegalArgumentException (one line) when the folder
     * is missing, holds another model class, lacks or mis-shapes keys, or lacks the tokenizer or processor files.
     */
    public static ClipReward load(Kind kind, Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a folder");
            }
            ClipImageProcessor processor = ClipImageProcessor.read(dir);
            PromptTokenizer tokenizer = PromptTokenizer.open(dir, PromptTokenizer.CLIP_LENGTH);
            try {
                return new ClipReward(kind, matching(ClipModel.load(dir), processor, dir), tokenizer, processor);
            } catch (RuntimeException e) {
                tokenizer.close();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(kind.rewardName + " needs a folder holding " + kind.folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** This kind as a {@link RealReward}: loaded by {@link #load}, checked as a transformers CLIPModel folder. */
    static RealReward entry(Kind kind) {
        return new RealReward(kind.rewardName, kind.folder, dir -> load(kind, dir),
                dir -> WeightsCheck.model(kind.rewardName, Architecture.CLIP_MODEL, dir));
    }

    /** The model, unless the processor crops to another size than the model reads (then closed and refused). */
    private static ClipModel matching(ClipModel model, ClipImageProcessor processor, Path dir) {
        if (processor.crop() != model.visionConfig().imageSize()) {
            model.close();
            throw new IllegalArgumentException(dir.resolve(ClipImageProcessor.FILE) + ": crop_size "
                    + processor.crop() + " differs from the model's image_size " + model.visionConfig().imageSize());
        }
        return model;
    }

    @Override
    public String name() {
        return kind.rewardName;
    }

    @Override
    public boolean needsPrompt() {
        return true;
    }

    @Override
    public double[] score(List<BufferedImage> images, List<String> prompts) {
        Reward.checkBatch(this, images, prompts);
        double[] out = new double[images.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            double[] cos = cosines(images.subList(from, to), prompts.subList(from, to));
            for (int i = 0; i < cos.length; i++) {
                out[from + i] = kind.score(cos[i], model.logitScale());
            }
        }
        return out;
    }

    /** cos(E_I, E_C) of each pair: both embeddings divided by their L2 norms, then their dot product. */
    private double[] cosines(List<BufferedImage> images, List<String> prompts) {
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray image = unit(model.imageEmbeds(processor.pixels(m, images)));
            NDArray text = unit(model.textEmbeds(tokenizer.encode(prompts).toArray(m)));
            float[] c = image.mul(text).sum(new int[] {-1}).toFloatArray();
            double[] out = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                out[i] = c[i];
            }
            return out;
        }
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true));
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
