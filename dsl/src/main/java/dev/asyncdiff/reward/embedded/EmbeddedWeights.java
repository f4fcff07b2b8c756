package dev.asyncdiff.reward.embedded;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.nn.Params;
import dev.asyncdiff.world.Vocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded reward model on disk: {@code NAME.safetensors} (F32 weights) and {@code NAME.json}, a small config
 * naming the model, its head, the metric it stands in for, the vocabulary it reads (loading refuses weights trained
 * on another vocabulary), the seed and steps it was trained with, and its corruption mix. The shipped ones are
 * classpath resources under {@value #RESOURCES}.
 */
public final class EmbeddedWeights {
    static final String RESOURCES = "/dev/asyncdiff/rewards/";

    /** The JSON config. */
    record Config(String name, String head, String analogue, List<String> vocabulary, long seed, long steps,
                  Map<String, Double> mix) {
    }

    private EmbeddedWeights() {
    }

    /** Writes {@code NAME.safetensors} and {@code NAME.json} into {@code dir}, each atomically. */
    static void save(Path dir, EmbeddedModel model, Params params, long seed, long steps) throws IOException {
        Files.createDirectories(dir);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        params.exportTo(tensors, "");
        Map<String, Double> mix = new LinkedHashMap<>();
        model.mix().ifPresent(m -> m.weights().forEach((c, w) -> mix.put(c.label(), w)));
        Config config = new Config(model.rewardName(), model.head().name().toLowerCase(java.util.Locale.ROOT),
                model.analogue(), Vocabulary.words(), seed, steps, model.mix().isPresent() ? mix : null);
        AtomicFiles.write(dir.resolve(model.rewardName() + ".safetensors"), Safetensors.encode(tensors));
        AtomicFiles.write(dir.resolve(model.rewardName() + ".json"), (new GsonBuilder().setPrettyPrinting().create()
                .toJson(config) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The shipped network of a model, read from the classpath. */
    static EmbeddedNetwork loadResource(NDManager manager, EmbeddedModel model) {
        String base = RESOURCES + model.rewardName();
        return decode(manager, model, resource(base + ".safetensors", model), resource(base + ".json", model),
                "classpath:" + base);
    }

    /** A network saved by {@link #save} in {@code dir}. */
    static EmbeddedNetwork load(NDManager manager, EmbeddedModel model, Path dir) {
        Path w = dir.resolve(model.rewardName() + ".safetensors");
        try {
            return decode(manager, model, Files.readAllBytes(w),
                    Files.readAllBytes(dir.resolve(model.rewardName() + ".json")), w.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + model.rewardName() + " weights in " + dir + ": "
                    + e.getMessage());
        }
    }

    /** The raw tensors of a saved model, e.g. to compare two runs. */
    static Map<String, Safetensors.Tensor> tensors(Path dir, EmbeddedModel model) throws IOException {
        return Safetensors.decode(Files.readAllBytes(dir.resolve(model.rewardName() + ".safetensors")));
    }

    /** The raw tensors of a shipped model. */
    static Map<String, Safetensors.Tensor> shippedTensors(EmbeddedModel model) throws IOException {
        return Safetensors.decode(resource(RESOURCES + model.rewardName() + ".safetensors", model));
    }

    private static EmbeddedNetwork decode(NDManager manager, EmbeddedModel model, byte[] weights, byte[] json,
                                          String source) {
        JsonObject config;
        try {
            config = new Gson().fromJson(new String(json, StandardCharsets.UTF_8), JsonObject.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ".json is not a reward-model config: " + e.getMessage());
        }
        List<String> words = new ArrayList<>();
        if (config != null && config.has("vocabulary") && config.get("vocabulary").isJsonArray()) {
            config.getAsJsonArray("vocabulary").forEach(w -> words.add(w.getAsString()));
        }
        if (!Vocabulary.words().equals(words)) {
            throw new IllegalArgumentException(source + " was trained on another vocabulary than the world's; "
                    + "retrain it with 'asyncdiff train-rewards --reward " + model.rewardName() + "'");
        }
        try {
            return new EmbeddedNetwork(model.head(), Params.load(manager, EmbeddedNetwork.layout(model.head()),
                    Safetensors.decode(weights), "", source));
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not usable " + model.rewardName() + " weights: "
                    + e.getMessage());
        }
    }

    private static byte[] resource(String path, EmbeddedModel model) {
        try (InputStream in = EmbeddedWeights.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the shipped weights of " + model.rewardName() + " are not on the "
                        + "classpath (expected " + path + "; train them with 'asyncdiff train-rewards --reward "
                        + model.rewardName() + "')");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath resource " + path + ": " + e.getMessage());
        }
    }
}
