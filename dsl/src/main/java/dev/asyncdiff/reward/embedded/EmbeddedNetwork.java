package dev.asyncdiff.reward.embedded;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.tiny.Tokenizer;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.nn.Params;
import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.CaptionWriter;
import dev.asyncdiff.world.ObjectGroup;
import dev.asyncdiff.world.Relation;
import dev.asyncdiff.world.Requirements;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.Vocabulary;

import java.util.List;
import java.util.Optional;

import static dev.asyncdiff.nn.Ops.conv;
import static dev.asyncdiff.nn.Ops.gelu;
import static dev.asyncdiff.nn.Ops.linear;
import static dev.asyncdiff.nn.Ops.silu;

/**
 * The networks of the embedded reward models, all built from one image encoder and one text encoder:
 * <ul>
 *   <li>image: 64×64 RGB in [−1, 1] → four stride-2 4×4 convolutions (32, 48, 64, 64 channels, SiLU) down to a 4×4
 *   grid, flattened (so where things are is kept, which relations and counts need) and projected to
 *   {@value #WIDTH} features;</li>
 *   <li>text: a caption's word ids in canonical wording ({@link #canonical}; the world's vocabulary, at most
 *   {@value #MAX_TOKENS} words, id 0 pads) →
 *   {@value #WORD}-wide word embeddings, concatenated in word order (so "a red circle and a blue square" differs from
 *   "a blue circle and a red square") and passed through a two-layer GELU MLP to {@value #WIDTH} features;</li>
 *   <li>{@link Head#CLIP}: both features L2-normalised; their cosine is the score, and cosine times the learned
 *   logit scale exp(s) (initially 1/0.07, capped at 100, as CLIP) the InfoNCE logits;</li>
 *   <li>{@link Head#PREFERENCE}: [image, text, image ⊙ text] of the normalised features → a GELU layer → one
 *   scalar, the Bradley–Terry logit. Its encoders start from the contrastive model's, as HPSv2 and PickScore are
 *   fine-tuned CLIP models and ImageReward a fine-tuned BLIP.</li>
 * </ul>
 */
public final class EmbeddedNetwork {
    /** What the network's output is. */
    public enum Head { CLIP, PREFERENCE }

    public static final int IMAGE = SceneRenderer.SIZE;
    public static final int MAX_TOKENS = 16;
    static final int WIDTH = 128;
    static final int WORD = 32;
    private static final int[] CHANNELS = {32, 48, 64, 64};
    private static final int GRID = IMAGE >> CHANNELS.length;
    /** CLIP's initial temperature 0.07, as a log logit scale, and its cap of 100 on the scale. */
    private static final float LOGIT_SCALE_INIT = (float) Math.log(1 / 0.07);
    private static final float LOGIT_SCALE_MAX = (float) Math.log(100);

    private final Head head;
    private final Params params;
    private final Tokenizer tokenizer = new Tokenizer(Vocabulary.words(), MAX_TOKENS);

    EmbeddedNetwork(Head head, Params params) {
        this.head = head;
        this.params = params;
    }

    /** Whether a parameter belongs to the image or text encoder, which every head shares. */
    static boolean encoder(String parameter) {
        return parameter.startsWith("img.") || parameter.startsWith("txt.");
    }

    static Params.Layout layout(Head head) {
        Params.Layout l = new Params.Layout();
        int in = 3;
        for (int i = 0; i < CHANNELS.length; i++) {
            l.conv("img.conv" + i, in, CHANNELS[i], 4);
            in = CHANNELS[i];
        }
        l.linear("img.proj", in * GRID * GRID, WIDTH)
                .add("txt.embed", Params.Init.NORMAL_002, Vocabulary.size() + 1, WORD)
                .linear("txt.fc1", MAX_TOKENS * WORD, WIDTH)
                .linear("txt.fc2", WIDTH, WIDTH);
        return switch (head) {
            case CLIP -> l.add("clip.logit_scale", Params.Init.ZERO, 1);
            case PREFERENCE -> l.linear("pref.fc1", 3 * WIDTH, WIDTH).linear("pref.out", WIDTH, 1);
        };
    }

    public Head head() {
        return head;
    }

    Params params() {
        return params;
    }

    /** Images [B, 3, 64, 64] in [−1, 1] → features [B, WIDTH]. */
    NDArray image(NDArray x) {
        NDArray h = x;
        for (int i = 0; i < CHANNELS.length; i++) {
            h = silu(conv(h, params, "img.conv" + i, 2));
        }
        return linear(h.reshape(h.getShape().get(0), -1), params, "img.proj");
    }

    /** Captions → features [B, WIDTH]; a prompt that is not a caption of the world is refused in one line. */
    NDArray text(NDManager manager, List<String> captions) {
        int b = captions.size();
        int v = Vocabulary.size() + 1;
        float[] oneHot = new float[b * MAX_TOKENS * v];
        for (int i = 0; i < b; i++) {
            int[] ids = tokenizer.encode(canonical(captions.get(i)));
            for (int j = 0; j < MAX_TOKENS; j++) {
                oneHot[(i * MAX_TOKENS + j) * v + (j < ids.length ? ids[j] : 0)] = 1f;
            }
        }
        NDArray words = NativeData.of(manager, oneHot, new Shape(b, MAX_TOKENS, v)).matMul(params.get("txt.embed"));
        return linear(gelu(linear(words.reshape(b, MAX_TOKENS * WORD), params, "txt.fc1")), params, "txt.fc2");
    }

    /**
     * The caption in the world's canonical wording with its relation turned to "left of" or "above" ("a star right
     * of a cross" reads "a cross left of a star"). Then a caption and its reversal differ in which phrase comes
     * first, which word-order features tell apart linearly; with "left of" against "right of" one word would have to
     * flip where every other word's object is, a conjunction the small text MLP did not learn (relations stayed at
     * chance in a run without this).
     */
    String canonical(String caption) {
        tokenizer.validate(caption);
        Requirements r = CaptionParser.parse(caption);
        Optional<Relation> turned = r.relation().map(rel -> switch (rel) {
            case RIGHT_OF -> Relation.LEFT_OF;
            case BELOW -> Relation.ABOVE;
            default -> rel;
        });
        List<ObjectGroup> groups = turned.equals(r.relation()) ? r.groups()
                : List.of(r.groups().get(1), r.groups().get(0));
        return CaptionWriter.write(new Requirements(groups, turned));
    }

    /** InfoNCE logits [B, T]: the learned scale times the cosine of every image with every text. */
    NDArray clipLogits(NDArray image, NDArray text) {
        NDArray scale = Ops.atMost(params.get("clip.logit_scale").add(LOGIT_SCALE_INIT), LOGIT_SCALE_MAX).exp();
        return unit(image).matMul(unit(text).transpose()).mul(scale);
    }

    /** The cosine of each image with its own text [B]. */
    static NDArray cosine(NDArray image, NDArray text) {
        return unit(image).mul(unit(text)).sum(new int[] {1});
    }

    /**
     * The Bradley–Terry logit of each (image, text) row [B], read from the L2-normalised features (scaled to unit
     * size per entry), so that the sum of the product block is the contrastive model's cosine up to a constant.
     */
    NDArray preference(NDArray image, NDArray text) {
        float root = (float) Math.sqrt(WIDTH);
        NDArray i = unit(image).mul(root);
        NDArray t = unit(text).mul(root);
        NDArray joint = NDArrays.concat(new NDList(i, t, i.mul(t)), 1);
        return linear(gelu(linear(joint, params, "pref.fc1")), params, "pref.out").reshape(-1);
    }

    /** The score of each (image, caption) row: the cosine for CLIP, the Bradley–Terry logit for a preference model. */
    NDArray score(NDArray images, List<String> captions) {
        NDArray i = image(images);
        NDArray t = text(images.getManager(), captions);
        return head == Head.CLIP ? cosine(i, t) : preference(i, t);
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }
}
