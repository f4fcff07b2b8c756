package dev.asyncdiff.model.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint in the diffusers layout: {@code model_index.json} names each component (transformer, vae,
 * text_encoder…, tokenizer…, scheduler) with its library and class, and each lives in the folder of its name.
 *
 * @param components component name → [library, class] as model_index.json lists them
 */
public record DiffusersFolder(Path root, Map<String, String[]> components) {
    public static final String INDEX = "model_index.json";

    public static DiffusersFolder open(Path root) {
        Path index = root.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(root + " has no " + INDEX + " (give the folder of a diffusers "
                    + "checkpoint, or one component's folder with --component)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(index)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(index + " is not a JSON object");
        }
        Map<String, String[]> components = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            // Entries such as "_class_name" are strings; components are [library, class] pairs, null when unused.
            if (e.getValue().isJsonArray() && e.getValue().getAsJsonArray().size() == 2
                    && !e.getValue().getAsJsonArray().get(1).isJsonNull()) {
                components.put(e.getKey(), new String[] {e.getValue().getAsJsonArray().get(0).getAsString(),
                        e.getValue().getAsJsonArray().get(1).getAsString()});
            }
        }
        return new DiffusersFolder(root, components);
    }

    /** The folder of a component that model_index.json lists and that exists. */
    public Path component(String name) {
        if (!components.containsKey(name)) {
            throw new IllegalArgumentException(root.resolve(INDEX) + " lists no component '" + name + "' (it lists "
                    + components.keySet() + ")");
        }
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(root.resolve(INDEX) + " lists '" + name + "' but " + dir
                    + " does not exist");
        }
        return dir;
    }
}
