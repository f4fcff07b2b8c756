package dev.asyncdiff.model.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A component's {@code config.json} (diffusers or transformers), read with errors that name the file and the field.
 */
public record ComponentConfig(Path file, JsonObject json) {
    public static final String FILE = "config.json";

    /** {@code dir/config.json}; an IllegalArgumentException when it is missing or not a JSON object. */
    public static ComponentConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no " + FILE + " (a diffusers or transformers component "
                    + "folder holds one beside its safetensors)");
        }
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * The config.json text {@code json}, named {@code file} in messages; an IllegalArgumentException unless it is a
     * JSON object.
     */
    public static ComponentConfig parse(Path file, String json) {
        try {
            return new ComponentConfig(file, JsonParser.parseString(json).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
    }

    /**
     * The model class: diffusers' {@code _class_name}, else the first of transformers' {@code architectures}, else
     * empty.
     */
    public String className() {
        if (json.has("_class_name")) {
            return json.get("_class_name").getAsString();
        }
        JsonArray a = json.has("architectures") && json.get("architectures").isJsonArray()
                ? json.getAsJsonArray("architectures") : new JsonArray();
        return a.isEmpty() ? "" : a.get(0).getAsString();
    }

    /**
     * A nested config object such as a CLIPModel's {@code text_config}, read with the same errors, which name it as
     * {@code config.json#key}; an IllegalArgumentException when it is absent or not an object.
     */
    public ComponentConfig section(String key) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(file + " has no \"" + key + "\" object");
        }
        return new ComponentConfig(file.resolveSibling(file.getFileName() + "#" + key), e.getAsJsonObject());
    }

    public int integer(String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException(file + " has no \"" + key + "\"");
        }
        return asInt(key, e);
    }

    /** The field, or {@code fallback} when it is absent or null (as the model classes default it). */
    public int integer(String key, int fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : asInt(key, e);
    }

    /** A number field, or {@code fallback} when it is absent or null. */
    public double number(String key, double fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        try {
            return e.getAsDouble();
        } catch (RuntimeException bad) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be a number (got " + e + ")");
        }
    }

    public boolean flag(String key, boolean fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be true or false (got " + e + ")");
        }
        return e.getAsBoolean();
    }

    /** An integer list field; empty when absent or null. */
    public int[] integers(String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return new int[0];
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be a list of integers (got " + e + ")");
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asInt(key, a.get(i));
        }
        return out;
    }

    /** A string field, or {@code fallback} when it is absent or null. */
    public String string(String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private int asInt(String key, JsonElement e) {
        try {
            double v = e.getAsDouble();
            if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (RuntimeException bad) {
            throw new IllegalArgumentException(file + ": \"" + key + "\" must be an integer (got " + e + ")");
        }
    }
}
