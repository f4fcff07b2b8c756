package dev.asyncdiff.reward.real;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.blip.BlipHeads;
import dev.asyncdiff.model.blip.ImageRewardModel;
import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import dev.asyncdiff.model.clip.ClipImageProcessor;
import dev.asyncdiff.model.clip.OpenClipImageTransform;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.reward.Reward;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code image-reward}: ImageReward v1.0's {@code score(prompt, image)} (THUDM/ImageReward, the human-preference
 * reward of the paper's composite) on the files a user has: {@value #CHECKPOINT}, the published state dict, read in
 * place ({@link ImageRewardModel}), and bert-base-uncased's tokenizer files beside it.
 * <p>
 * As ImageReward.py computes it: the image through torchvision's {@code Resize(224, BICUBIC)} on the PIL image,
 * {@code CenterCrop(224)}, RGB, {@code ToTensor} and OpenAI CLIP's normalisation ({@link ClipImageProcessor}, Pillow's
 * bicubic on 8-bit levels, the crop's corner rounded as torchvision rounds it); the prompt through BLIP's BertTokenizer
 * (bert-base-uncased) padded to max_length 35 with truncation, the attention mask marking its tokens, and no [ENC]
 * token in place of [CLS] ({@code score} passes the ids as the tokenizer gives them); the image size from the
 * checkpoint's position table (224 for the published one).
 * <p>
 * Verified against bench/reference/image_reward.py, an independent PyTorch implementation of the architecture, on
 * random checkpoints written by torch.save under the real key names (ImageRewardParityTest, ImageRewardScoreTest):
 * image embeddings, text features and rewards within 7.7·10⁻⁶ relative on small models (F32, F16 and BF16 files),
 * rewards from raw images and prompts (preprocessed there by Pillow) within 1.5·10⁻⁶, and within 2.5·10⁻⁶ at the
 * published dimensions (446,206,689 parameters read). Where this differs from the original: the prompt is tokenized
 * by Hugging Face's tokenizers from bert-base-uncased's tokenizer.json rather than by transformers' Python
 * BertTokenizer (the same WordPiece vocabulary and normalisation; BLIP's two added tokens [DEC] and [ENC] are not in
 * that file, so a prompt spelling them out literally is tokenized differently); and an image is resized as RGB,
 * where the original resizes the PIL image in its own mode before converting it (a palette image with nearest
 * neighbours, an RGBA one with premultiplied alpha): RGB images, what the samplers write, score alike. Like the
 * original on a CPU it runs in FP32 (no autocast).
 */
public final class ImageRewardScore implements Reward, AutoCloseable {
    public static final String NAME = "image-reward";
    /** The published checkpoint's file name. */
    public static final String CHECKPOINT = "ImageReward.pt";
    static final String FOLDER = CHECKPOINT + " (THUDM/ImageReward v1.0) and bert-base-uncased's tokenizer files "
            + "(tokenizer.json, tokenizer_config.json)";
    /** Images scored per forward pass: bounds the activations' memory (ViT-L/16, 197 tokens of width 1024). */
    static final int BATCH = 8;
    /** ImageReward.py: {@code tokenizer(prompt, padding='max_length', truncation=True, max_length=35)}. */
    static final int PROMPT_TOKENS = 35;
    /** transformers' BertTokenizer pads with "[PAD]"; bert-base-uncased's tokenizer_config.json names no pad token. */
    static final String BERT_PAD = "[PAD]";

    private final ImageRewardModel model;
    private final PromptTokenizer tokenizer;
    private final ClipImageProcessor processor;

    private ImageRewardScore(ImageRewardModel model, PromptTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        int size = model.visionConfig().imageSize();
        // ImageReward.py's Normalize is OpenAI CLIP's per-channel mean and std
        this.processor = new ClipImageProcessor(size, size, OpenClipImageTransform.OPENAI_MEAN,
                OpenClipImageTransform.OPENAI_STD, ClipImageProcessor.CropOrigin.ROUND_HALF_EVEN);
    }

    /** Loads the published model from {@code dir}. */
    public static ImageRewardScore load(Path dir) {
        return load(dir, BlipHeads.PUBLISHED);
    }

    /**
     * Loads {@code dir}'s checkpoint with these heads and its tokenizer; an IllegalArgumentException (one line) when
     * the folder is missing, lacks either, or the checkpoint lacks or mis-shapes a key the score reads.
     */
    public static ImageRewardScore load(Path dir, BlipHeads heads) {
        try {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a folder");
            }
            PromptTokenizer tokenizer = PromptTokenizer.open(dir, PROMPT_TOKENS, BERT_PAD);
            try {
                return new ImageRewardScore(ImageRewardModel.load(dir.resolve(CHECKPOINT), heads), tokenizer);
            } catch (RuntimeException e) {
                tokenizer.close();
                throw e;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(NAME + " needs a folder holding " + FOLDER + ": " + e.getMessage(), e);
        }
    }

    /** {@code dir}'s checkpoint against what the score reads, from its pickle alone. */
    static ComponentReport check(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder (it must hold " + FOLDER + ")");
        }
        return ImageRewardModel.check(NAME, dir.resolve(CHECKPOINT));
    }

    /** This reward as a {@link RealReward}. */
    static RealReward entry() {
        return new RealReward(NAME, FOLDER, ImageRewardScore::load, ImageRewardScore::check);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsPrompt() {
        return true;
    }

    @Override
    public double[] score(List<BufferedImage> images, List<String> prompts) {
        Reward.checkBatch(this, images, prompts);
        return Batches.scored(images, prompts, BATCH, this::rewards);
    }

    private double[] rewards(List<BufferedImage> images, List<String> prompts) {
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray image = model.imageEmbeds(processor.pixels(m, images));
            PromptTokenizer.Tokens tokens = tokenizer.encode(prompts);
            return model.rewards(model.textFeatures(tokens.toArray(m), mask(m, tokens), image));
        }
    }

    /** The attention mask the tokenizer returns: 1 over each prompt's own tokens, 0 over its padding. */
    static NDArray mask(NDManager m, PromptTokenizer.Tokens tokens) {
        int rows = tokens.ids().length;
        float[] mask = new float[rows * PROMPT_TOKENS];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < tokens.lengths()[i]; j++) {
                mask[i * PROMPT_TOKENS + j] = 1;
            }
        }
        return NativeData.of(m, mask, new Shape(rows, PROMPT_TOKENS));
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
