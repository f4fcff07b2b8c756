package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Params;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.asyncdiff.nn.Ops.attention;
import static dev.asyncdiff.nn.Ops.gelu;
import static dev.asyncdiff.nn.Ops.linear;
import static dev.asyncdiff.nn.Ops.mergeHeads;
import static dev.asyncdiff.nn.Ops.paddingBias;
import static dev.asyncdiff.nn.Ops.sinusoidFrequencies;
import static dev.asyncdiff.nn.Ops.splitHeads;

/**
 * The Timestep Prediction Module (Eq. 7): from the previous latent x, guided velocity v*, clean-image prediction
 * x0 = x − t·v*, the text condition, the previous pseudo-timestep t*, the current grid time t_k and the step index k,
 * two numbers (a, b) that φ (Eq. 17) turns into the Beta(α, β) of r.
 *
 * <p>Tokens: one per latent position (that position's entries of x, v* and x0, projected, plus a learned position
 * embedding); one per text token (projected, plus a type embedding; padding masked out of attention); three temporal
 * tokens (sinusoidal features of t_k, t* and k/K, projected, plus one embedding per kind); and learned global
 * read-out tokens. A transformer encoder as in the paper — no dropout and no layer normalisation — whose attention
 * and MLP outputs start at zero, so every layer starts as the identity and the stack trains stably without
 * normalisation. The read-out tokens' final states, flattened, feed a two-layer MLP whose output layer also starts at
 * zero: an untrained TPM gives (a, b) = (0, 0), α = β = 2, whose mode r = 0.5 is synchronous sampling.
 */
public final class Tpm {
    static final String WEIGHTS = "tpm.safetensors";
    static final String CONFIG = "tpm.json";
    private static final float TIME_SCALE = 1000f;

    private final TpmConfig config;
    private final Params params;
    private final TpmProvenance provenance;

    Tpm(TpmConfig config, Params params) {
        this(config, params, null);
    }

    private Tpm(TpmConfig config, Params params, TpmProvenance provenance) {
        this.config = config;
        this.params = params;
        this.provenance = provenance;
    }

    /** A fresh TPM of the given shape. */
    public static Tpm initialize(NDManager manager, TpmConfig config, long seed) {
        return new Tpm(config, Params.initialize(manager, layout(config), seed));
    }

    static Params.Layout layout(TpmConfig c) {
        int w = c.width();
        Params.Layout l = new Params.Layout()
                .linear("latent", 3 * c.entriesPerPosition(), w)
                .add("latent_pos", Params.Init.NORMAL_002, c.positions(), w)
                .linear("time", TpmConfig.FREQUENCIES, w)
                .add("time_kind", Params.Init.NORMAL_002, 3, w)
                .add("readout", Params.Init.NORMAL_002, c.readouts(), w);
        if (c.textTokens() > 0) {
            l.linear("text", c.textWidth(), w).add("text_kind", Params.Init.NORMAL_002, w);
        }
        for (int i = 0; i < c.layers(); i++) {
            String b = "layer" + i;
            l.linear(b + ".qkv", w, 3 * w).zeroLinear(b + ".proj", w, w)
                    .linear(b + ".fc1", w, 4 * w).zeroLinear(b + ".fc2", 4 * w, w);
        }
        return l.linear("head.fc", c.readouts() * w, w).zeroLinear("head.out", w, 2);
    }

    public TpmConfig config() {
        return config;
    }

    public Params params() {
        return params;
    }

    /** How this TPM was trained; empty for a fresh one and for one saved before train-tpm recorded it. */
    public Optional<TpmProvenance> provenance() {
        return Optional.ofNullable(provenance);
    }

    /** The same weights with this training record, which {@link #save} writes into {@code tpm.json}. */
    public Tpm withProvenance(TpmProvenance p) {
        return new Tpm(config, params, p);
    }

    /** A copy of these weights in {@code manager}, without gradients (e.g. GRPO's frozen initial policy). */
    public Tpm copy(NDManager manager) {
        Map<String, NDArray> copy = new LinkedHashMap<>();
        params.all().forEach((name, a) -> copy.put(name, NativeData.of(manager, a.toFloatArray(), a.getShape())));
        return new Tpm(config, Params.of(copy));
    }

    /**
     * @param latent   [B, P, 3·E]: per position, its entries of x, then v*, then x0
     * @param text     [B, L, C] text token states, or null for a backbone without text tokens
     * @param mask     [B, L] 1 for valid tokens (null with text)
     * @param temporal [B, 3]: t_k, t*_{k−1}, k/K
     * @return [B, 2]: (a, b) before φ
     */
    public NDArray forward(NDArray latent, NDArray text, NDArray mask, NDArray temporal) {
        NDManager m = latent.getManager();
        long b = latent.getShape().get(0);
        int w = config.width();
        NDArray h = linear(latent, params, "latent").add(params.get("latent_pos"));
        NDArray time = linear(timeFeatures(temporal), params, "time").add(params.get("time_kind"));
        NDArray readout = params.get("readout").expandDims(0).repeat(0, b);
        NDList parts = new NDList(readout, h, time);
        NDArray bias = null;
        if (config.textTokens() > 0) {
            parts.add(linear(text, params, "text").add(params.get("text_kind")));
            long others = config.readouts() + config.positions() + 3;
            bias = paddingBias(NDArrays.concat(new NDList(m.ones(new Shape(b, others)), mask), 1));
        }
        NDArray x = NDArrays.concat(parts, 1);
        for (int i = 0; i < config.layers(); i++) {
            String n = "layer" + i;
            NDArray qkv = linear(x, params, n + ".qkv");
            NDArray q = splitHeads(qkv.get(":, :, 0:" + w), config.heads());
            NDArray k = splitHeads(qkv.get(":, :, " + w + ":" + 2 * w), config.heads());
            NDArray v = splitHeads(qkv.get(":, :, " + 2 * w + ":"), config.heads());
            x = x.add(linear(mergeHeads(attention(q, k, v, bias)[0]), params, n + ".proj"));
            x = x.add(linear(gelu(linear(x, params, n + ".fc1")), params, n + ".fc2"));
        }
        NDArray global = x.get(":, 0:" + config.readouts() + ", :").reshape(b, (long) config.readouts() * w);
        return linear(gelu(linear(global, params, "head.fc")), params, "head.out");
    }

    /** Sinusoidal features of 1000·s for each temporal scalar: [B, 3] → [B, 3, F]. */
    private static NDArray timeFeatures(NDArray temporal) {
        int half = TpmConfig.FREQUENCIES / 2;
        NDArray angles = temporal.mul(TIME_SCALE).expandDims(2)
                .mul(NativeData.of(temporal.getManager(), sinusoidFrequencies(half), new Shape(1, 1, half)));
        return NDArrays.concat(new NDList(angles.cos(), angles.sin()), -1);
    }

    /** Writes {@code tpm.safetensors} and {@code tpm.json} (with the training record, if any), each atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Safetensors.Tensor> all = new LinkedHashMap<>();
        params.exportTo(all, "");
        AtomicFiles.write(dir.resolve(WEIGHTS), Safetensors.encode(all));
        JsonObject json = JsonParser.parseString(config.toJson()).getAsJsonObject();
        if (provenance != null) {
            json.add(TpmProvenance.KEY, provenance.toJson());
        }
        AtomicFiles.write(dir.resolve(CONFIG), (new Gson().toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Throws unless {@code dir} holds the two files of a saved TPM. */
    public static void requireFolder(Path dir) {
        if (!Files.isRegularFile(dir.resolve(WEIGHTS)) || !Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new IllegalArgumentException(dir + " holds no TPM (expected " + WEIGHTS + " and " + CONFIG
                    + " from train-tpm)");
        }
    }

    /** A TPM saved by {@link #save}; anything missing or misshaped is one IllegalArgumentException saying what. */
    public static Tpm load(NDManager manager, Path dir) {
        requireFolder(dir);
        try {
            return decode(manager, Files.readAllBytes(dir.resolve(WEIGHTS)), Files.readString(dir.resolve(CONFIG)),
                    dir.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TPM in " + dir + ": " + e.getMessage());
        }
    }

    /** How the TPM saved in {@code dir} was trained, read from its {@code tpm.json} alone (no weights loaded). */
    public static Optional<TpmProvenance> readProvenance(Path dir) {
        requireFolder(dir);
        try {
            return provenanceOf(Files.readString(dir.resolve(CONFIG)), dir.resolve(CONFIG).toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TPM in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A TPM from the contents of its two files ({@code source} names them in errors, e.g. a folder or classpath
     * resources).
     */
    static Tpm decode(NDManager manager, byte[] weights, String configJson, String source) {
        TpmConfig config = TpmConfig.fromJson(configJson, source + "/" + CONFIG);
        try {
            return new Tpm(config, Params.load(manager, layout(config), Safetensors.decode(weights), "",
                    source + "/" + WEIGHTS), provenanceOf(configJson, source + "/" + CONFIG).orElse(null));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TPM in " + source + ": " + e.getMessage());
        }
    }

    static Optional<TpmProvenance> provenanceOf(String configJson, String source) {
        try {
            return TpmProvenance.fromJson(JsonParser.parseString(configJson).getAsJsonObject(), source);
        } catch (com.google.gson.JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(source + " is not a TPM configuration (" + e.getMessage() + ")");
        }
    }
}
