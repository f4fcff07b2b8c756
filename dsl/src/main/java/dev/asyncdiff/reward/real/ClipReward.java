package dev.asyncdiff.reward.real;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.WeightsCheck;
import dev.asyncdiff.model.checkpoint.TensorEntry;
import dev.asyncdiff.model.checkpoint.TorchCheckpoint;
import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import dev.asyncdiff.model.clip.ClipImageProcessor;
import dev.asyncdiff.model.clip.ImagePreprocessor;
import dev.asyncdiff.model.clip.OpenClipCheckpoint;
import dev.asyncdiff.model.clip.OpenClipImageTransform;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.clip.ClipModel;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.reward.Reward;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The three metrics of the paper's tables that are a CLIP model's cosine between an image and its prompt, each on the
 * model files it was defined with:
 * <ul>
 * <li>{@code clip-score}: 100·max(cos(E_I, E_C), 0) on OpenAI's CLIP ViT-L/14 (torchmetrics' CLIPScore, whose default
 * model it is: "CLIPScore(I, C) = max(100 * cos(E_I, E_C), 0)",
 * https://lightning.ai/docs/torchmetrics/stable/multimodal/clip_score.html). The paper's tables print it ÷ 100.
 * A transformers CLIPModel folder (weights, tokenizer and preprocessor_config.json).</li>
 * <li>{@code pickscore}: exp(logit_scale)·cos(E_I, E_C) on PickScore_v1, a ViT-H/14 CLIPModel fine-tuned on
 * Pick-a-Pic, with the processor of laion/CLIP-ViT-H-14-laion2B-s32B-b79K (its model card scores
 * {@code model.logit_scale.exp() * (text_embs @ image_embs.T)} on unit-normalised embeddings).</li>
 * <li>{@code hpsv2}: cos(E_I, E_C) on HPSv2, an OpenCLIP ViT-H/14 fine-tuned on human preferences (hpsv2/img_score.py
 * takes the diagonal of {@code image_features @ text_features.T} on unit-normalised features); the published
 * {@code HPS_v2*_compressed.pt} ({@link TorchCheckpoint}, open_clip's names, {@link OpenClipCheckpoint}) with
 * open_clip's evaluation transform ({@link OpenClipImageTransform}) and a CLIP tokenizer's files beside it (open_clip
 * bundles OpenAI's BPE, which laion/CLIP-ViT-H-14-laion2B-s32B-b79K publishes as tokenizer.json). HPSv2 runs its
 * model under CUDA autocast (FP16); this runs it in FP32.</li>
 * </ul>
 * Prompts are tokenized to CLIP's 77 positions (truncated, end-of-text kept); padding after the end-of-text token
 * cannot change its causally masked embedding, so padding to 77 scores as padding to the longest prompt does, and
 * open_clip's zeros score as the tokenizer's own pad token.
 */
public final class ClipReward implements Reward, AutoCloseable {
    /** Images encoded per forward pass: bounds the activations' memory (ViT-H/14, 257 tokens of width 1280). */
    static final int BATCH = 8;
    /** HPSv2's published checkpoints, the newer first (hpsv2/utils.py's hps_version_map). */
    static final List<String> HPS_FILES = List.of("HPS_v2.1_compressed.pt", "HPS_v2_compressed.pt");

    /** Which score the cosine becomes. */
    public enum Kind {
        CLIP_SCORE("clip-score", "OpenAI's CLIP ViT-L/14 (openai/clip-vit-large-patch14)"),
        PICKSCORE("pickscore", "yuvalkirstain/PickScore_v1 with the tokenizer and preprocessor_config.json of "
                + "laion/CLIP-ViT-H-14-laion2B-s32B-b79K"),
        HPSV2("hpsv2", "HPSv2's " + HPS_FILES.get(0) + " or " + HPS_FILES.get(1) + " (xswu/HPSv2) and the "
                + "tokenizer files of laion/CLIP-ViT-H-14-laion2B-s32B-b79K (tokenizer.json, tokenizer_config.json)");

        public final String rewardName;
        /** What the folder must hold, for messages. */
        public final String folder;

        Kind(String rewardName, String folder) {
            this.rewardName = rewardName;
            this.folder = folder;
        }

        /** The score of one pair from its cosine and the model's stored logit_scale (a logarithm). */
        public double score(double cosine, double logitScale) {
            return switch (this) {
                case CLIP_SCORE -> 100 * Math.max(cosine, 0);
                case PICKSCORE -> Math.exp(logitScale) * cosine;
                case HPSV2 -> cosine;
            };
        }
    }

    private final Kind kind;
    private final ClipModel model;
    private final PromptTokenizer tokenizer;
    private final ImagePreprocessor processor;

    private ClipReward(Kind kind, ClipModel model, PromptTokenizer tokenizer, ImagePreprocessor processor) {
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
        return load(kind, dir, OpenClipCheckpoint.HeadWidths.VIT_H_14);
    }

    /** As {@link #load(Kind, Path)}, with the head widths of an OpenCLIP checkpoint (HPSv2's are ViT-H/14's). */
    static ClipReward load(Kind kind, Path dir, OpenClipCheckpoint.HeadWidths heads) {
        try {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a folder");
            }
            Path hps = kind == Kind.HPSV2 ? hpsCheckpoint(dir) : null;
            ClipImageProcessor processor = hps == null ? ClipImageProcessor.read(dir) : null;
            PromptTokenizer tokenizer = PromptTokenizer.open(dir, PromptTokenizer.CLIP_LENGTH);
            try {
                if (hps != null) {
                    ClipModel model = OpenClipCheckpoint.load(hps, TorchCheckpoint.stateDict(hps), heads,
                            Placement.cpu());
                    return new ClipReward(kind, model, tokenizer,
                            OpenClipImageTransform.openAi(model.visionConfig().imageSize()));
                }
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

    /** The one HPSv2 checkpoint in {@code dir}; an IllegalArgumentException when there is none, or both. */
    static Path hpsCheckpoint(Path dir) {
        List<Path> found = HPS_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(dir + (found.isEmpty() ? " has neither " + String.join(" nor ",
                    HPS_FILES) : " holds both " + String.join(" and ", HPS_FILES) + "; keep the one you mean"));
        }
        return found.get(0);
    }

    /** What weights check --reward hpsv2 reports: the checkpoint's keys and shapes, from its pickle alone. */
    static ComponentReport checkHps(Path dir, OpenClipCheckpoint.HeadWidths heads) {
        Path file = hpsCheckpoint(dir);
        Map<String, TensorEntry> tensors = TorchCheckpoint.stateDict(file);
        return WeightsCheck.report(Kind.HPSV2.rewardName, Architecture.OPEN_CLIP,
                Architecture.OPEN_CLIP.manifest(OpenClipCheckpoint.config(file, tensors, heads)), tensors);
    }

    /** This kind as a {@link RealReward}: loaded by {@link #load}, checked as a transformers CLIPModel folder. */
    static RealReward entry(Kind kind) {
        return new RealReward(kind.rewardName, kind.folder, dir -> load(kind, dir), kind == Kind.HPSV2
                ? dir -> checkHps(dir, OpenClipCheckpoint.HeadWidths.VIT_H_14)
                : dir -> WeightsCheck.model(kind.rewardName, Architecture.CLIP_MODEL, dir));
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
        double[] out = Batches.scored(images, prompts, BATCH, this::cosines);
        for (int i = 0; i < out.length; i++) {
            out[i] = kind.score(out[i], model.logitScale());
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
