package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.sample.DeviationBound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The TPMs a build ships for the tiny backbone, trained by {@code training/tpm.sh} on the shipped base weights:
 * {@code tpm:shipped} (bounded, η = 0.5 + r) and {@code tpm:shipped-lifted} (η = 2r, Eq. 13), each a
 * {@code tpm.safetensors} and {@code tpm.json} under the classpath folder {@value #ROOT}{@code NAME/}. A build
 * without them names the command that trains them. The resources are looked up through a class loader, so that tests
 * can put a small TPM on a class path of their own rather than a file under the main resources.
 */
public enum ShippedTpm {
    BOUNDED("shipped", DeviationBound.HALF, "bounded"),
    LIFTED("shipped-lifted", DeviationBound.LIFTED, "lifted");

    public static final String ROOT = "dev/asyncdiff/tpm/";

    /** What follows {@code tpm:} in a policy spec. */
    public final String name;
    /** The bound it is trained under. */
    public final DeviationBound bound;
    /** The variant's name for {@code training/tpm.sh}. */
    public final String variant;

    private static final Map<ShippedTpm, Tpm> LOADED = new EnumMap<>(ShippedTpm.class);

    ShippedTpm(String name, DeviationBound bound, String variant) {
        this.name = name;
        this.bound = bound;
        this.variant = variant;
    }

    /** The shipped TPM a policy spec's path names ({@code shipped}, {@code shipped-lifted}), if any. */
    public static Optional<ShippedTpm> named(String path) {
        return Arrays.stream(values()).filter(s -> s.name.equals(path.strip())).findFirst();
    }

    /** The policy spec that names it. */
    public String spec() {
        return "tpm:" + name;
    }

    /** The class loader the build's own resources come from. */
    public static ClassLoader classpath() {
        return ShippedTpm.class.getClassLoader();
    }

    /** Whether {@code loader} holds both files of this TPM (the build ships it). */
    public boolean isShipped(ClassLoader loader) {
        return loader.getResource(resource(Tpm.WEIGHTS)) != null && loader.getResource(resource(Tpm.CONFIG)) != null;
    }

    /** Throws one line saying that the build ships no such TPM and the command that trains it, unless it does. */
    public void require(ClassLoader loader) {
        if (!isShipped(loader)) {
            throw new IllegalArgumentException("policy '" + spec() + "': this build ships no trained TPM yet; train "
                    + "and ship it with: training/tpm.sh run " + variant + " (then training/tpm.sh ship " + variant
                    + ")");
        }
    }

    /**
     * The TPM in {@code loader}'s resources; from the build's own class path it is loaded once per JVM and shared
     * (an evaluation resolves its policy for every cell).
     */
    public Tpm load(ClassLoader loader) {
        require(loader);
        if (loader != classpath()) {
            return read(loader);
        }
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(this, s -> s.read(loader));
        }
    }

    /** How it was trained, from its {@code tpm.json} alone. */
    public Optional<TpmProvenance> provenance(ClassLoader loader) {
        require(loader);
        return Tpm.provenanceOf(new String(bytes(loader, Tpm.CONFIG), StandardCharsets.UTF_8),
                "classpath:" + resource(Tpm.CONFIG));
    }

    private Tpm read(ClassLoader loader) {
        return Tpm.decode(NDManager.newBaseManager(), bytes(loader, Tpm.WEIGHTS),
                new String(bytes(loader, Tpm.CONFIG), StandardCharsets.UTF_8), "classpath:" + ROOT + name);
    }

    private String resource(String file) {
        return ROOT + name + "/" + file;
    }

    private byte[] bytes(ClassLoader loader, String file) {
        try (InputStream in = loader.getResourceAsStream(resource(file))) {
            if (in == null) {
                throw new IllegalArgumentException("the shipped TPM " + spec() + " lacks " + resource(file));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read classpath resource " + resource(file) + ": "
                    + e.getMessage());
        }
    }
}
