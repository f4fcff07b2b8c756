package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.nn.Params;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three networks of the tiny backbone and their vocabulary, stored as one safetensors file (tensors prefixed
 * {@code ae.}, {@code text.}, {@code dit.}, plus {@code ae.latent_scale}) and a vocabulary file (one word a line).
 */
final class TinyNetworks {
    static final String WEIGHTS = "tiny.safetensors";
    static final String VOCABULARY = "vocab.txt";
    static final String RESOURCES = "/dev/asyncdiff/tiny/";
    static final int MAX_TOKENS = 16;

    final Tokenizer tokenizer;
    final LatentAutoencoder ae;
    final TextEncoder text;
    final DiT dit;

    private TinyNetworks(Tokenizer tokenizer, LatentAutoencoder ae, TextEncoder text, DiT dit) {
        this.tokenizer = tokenizer;
        this.ae = ae;
        this.text = text;
        this.dit = dit;
    }

    /** Untrained networks from a seed. */
    static TinyNetworks initialize(NDManager manager, List<String> vocabulary, long seed, DiTArchitecture arch) {
        Tokenizer tok = new Tokenizer(vocabulary, MAX_TOKENS);
        return new TinyNetworks(tok,
                new LatentAutoencoder(Params.initialize(manager, LatentAutoencoder.layout(), seed), 1f),
                new TextEncoder(Params.initialize(manager, TextEncoder.layout(tok.size(), MAX_TOKENS), seed + 1),
                        tok.size(), MAX_TOKENS),
                new DiT(Params.initialize(manager, DiT.layout(arch), seed + 2), arch));
    }

    /** Networks from the given autoencoder and fresh text encoder and DiT. */
    TinyNetworks withFreshFlowModel(NDManager manager, long seed, DiTArchitecture arch) {
        return new TinyNetworks(tokenizer, ae,
                new TextEncoder(Params.initialize(manager, TextEncoder.layout(tokenizer.size(), MAX_TOKENS),
                        seed + 1), tokenizer.size(), MAX_TOKENS),
                new DiT(Params.initialize(manager, DiT.layout(arch), seed + 2), arch));
    }

    TinyNetworks withLatentScale(float scale) {
        return new TinyNetworks(tokenizer, new LatentAutoencoder(ae.params(), scale), text, dit);
    }

    /** The shipped weights (classpath resources). */
    static TinyNetworks loadResources(NDManager manager) {
        byte[] weights = resource(WEIGHTS);
        byte[] vocab = resource(VOCABULARY);
        return decode(manager, weights, vocab, "classpath:" + RESOURCES + WEIGHTS);
    }

    /** The first 12 hex digits of the SHA-256 of the weights file in {@code dir}, or of the shipped one (null). */
    static String fingerprint(Path dir) {
        try {
            return fingerprint(dir == null ? resource(WEIGHTS) : Files.readAllBytes(dir.resolve(WEIGHTS)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tiny-model weights in " + dir + ": " + e.getMessage());
        }
    }

    /** The first 12 hex digits of the SHA-256 of a weights file's bytes. */
    static String fingerprint(byte[] weights) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(weights)).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Weights saved by {@link #save} in {@code dir}. */
    static TinyNetworks load(NDManager manager, Path dir) {
        Path w = dir.resolve(WEIGHTS);
        Path v = dir.resolve(VOCABULARY);
        try {
            return decode(manager, Files.readAllBytes(w), Files.readAllBytes(v), w.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tiny-model weights in " + dir + ": " + e.getMessage());
        }
    }

    static TinyNetworks decode(NDManager manager, byte[] weights, byte[] vocab, String source) {
        Map<String, Safetensors.Tensor> all;
        try {
            all = Safetensors.decode(weights);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not usable tiny-model weights: " + e.getMessage());
        }
        List<String> words = new String(vocab, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (words.isEmpty()) {
            throw new IllegalArgumentException(source + ": the vocabulary file beside it is empty");
        }
        Tokenizer tok = new Tokenizer(words, MAX_TOKENS);
        Safetensors.Tensor scale = all.get("ae.latent_scale");
        if (scale == null || scale.data().length != 1) {
            throw new IllegalArgumentException(source + " lacks tensor ae.latent_scale (weights from another "
                    + "model version?)");
        }
        return new TinyNetworks(tok,
                new LatentAutoencoder(Params.load(manager, LatentAutoencoder.layout(), all, "ae.", source),
                        scale.data()[0]),
                new TextEncoder(Params.load(manager, TextEncoder.layout(tok.size(), MAX_TOKENS),
                        all, "text.", source), tok.size(), MAX_TOKENS),
                dit(manager, all, source));
    }

    private static DiT dit(NDManager manager, Map<String, Safetensors.Tensor> all, String source) {
        DiTArchitecture arch = DiTArchitecture.ofPrefixed(all, "dit.", source);
        return new DiT(Params.load(manager, DiT.layout(arch), all, "dit.", source), arch);
    }

    /** Writes weights and vocabulary into {@code dir}, each file atomically. */
    void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Safetensors.Tensor> all = new LinkedHashMap<>();
        ae.params().exportTo(all, "ae.");
        all.put("ae.latent_scale", new Safetensors.Tensor(new int[] {1}, new float[] {ae.latentScale()}));
        text.params().exportTo(all, "text.");
        dit.params().exportTo(all, "dit.");
        AtomicFiles.write(dir.resolve(WEIGHTS), Safetensors.encode(all));
        AtomicFiles.write(dir.resolve(VOCABULARY),
                (String.join("\n", tokenizer.words()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    long parameterCount() {
        return ae.params().count() + text.params().count() + dit.params().count();
    }

    private static byte[] resource(String name) {
        try (InputStream in = TinyNetworks.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the tiny model's " + name + " is not on the classpath (expected "
                        + RESOURCES + name + "; train it with 'asyncdiff train-base' and export the weights)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath resource " + RESOURCES + name + ": "
                    + e.getMessage());
        }
    }
}
