package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The weighted components of each published backbone's diffusers folder, and the class each must hold. */
public enum BackboneLayout {
    SD35("sd35", Map.of(
            "transformer", Architecture.SD3_TRANSFORMER,
            "vae", Architecture.AUTOENCODER_KL,
            "text_encoder", Architecture.CLIP_TEXT_WITH_PROJECTION,
            "text_encoder_2", Architecture.CLIP_TEXT_WITH_PROJECTION,
            "text_encoder_3", Architecture.T5_ENCODER)),
    FLUX("flux", Map.of(
            "transformer", Architecture.FLUX_TRANSFORMER,
            "vae", Architecture.AUTOENCODER_KL,
            "text_encoder", Architecture.CLIP_TEXT,
            "text_encoder_2", Architecture.T5_ENCODER));

    /** Every component name any layout uses, in the order reports list them. */
    public static final String COMPONENTS = "transformer, vae, text_encoder, text_encoder_2, text_encoder_3";

    public final String cliName;
    private final Map<String, Architecture> components;

    BackboneLayout(String cliName, Map<String, Architecture> components) {
        this.cliName = cliName;
        Map<String, Architecture> ordered = new LinkedHashMap<>();
        for (String name : COMPONENTS.split(", ")) {
            if (components.containsKey(name)) {
                ordered.put(name, components.get(name));
            }
        }
        this.components = ordered;
    }

    /** Component name → architecture, in report order. */
    public Map<String, Architecture> components() {
        return components;
    }

    public Architecture architecture(String component) {
        Architecture a = components.get(component);
        if (a == null) {
            throw new IllegalArgumentException("--backbone " + cliName + " has no component '" + component
                    + "' (it has " + String.join(", ", components.keySet()) + ")");
        }
        return a;
    }

    public static BackboneLayout parse(String name) {
        return Arrays.stream(values()).filter(b -> b.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backbone '" + name + "' (choose sd35 or flux)"));
    }
}
