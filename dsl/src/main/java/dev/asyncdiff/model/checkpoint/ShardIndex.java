package dev.asyncdiff.model.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A sharded checkpoint's {@code *.safetensors.index.json}: its {@code weight_map} says which shard file, beside the
 * index, holds each tensor.
 */
public record ShardIndex(Path file, Map<String, String> weightMap) {
    public static final String SUFFIX = ".safetensors.index.json";

    public static ShardIndex read(Path file) throws IOException {
        JsonObject map;
        try {
            map = JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonObject("weight_map");
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a shard index: it needs a JSON object \"weight_map\"");
        }
        if (map == null) {
            throw new IOException(file + " is not a shard index: it has no \"weight_map\"");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            weightMap.put(e.getKey(), e.getValue().getAsString());
        }
        return new ShardIndex(file, weightMap);
    }

    /** The shard files, in the order the weight map first names them. */
    public Set<Path> shards() {
        Set<Path> out = new LinkedHashSet<>();
        for (String shard : weightMap.values()) {
            out.add(file.resolveSibling(shard));
        }
        return out;
    }

    /**
     * Every tensor of every shard, read from the shards' headers; an IOException when a shard is missing, when a
     * shard lacks a tensor the map puts there, or when a shard holds one the map does not put there.
     */
    public Map<String, TensorEntry> tensors() throws IOException {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        for (Path shard : shards()) {
            if (!Files.isRegularFile(shard)) {
                throw new IOException(file + " names shard " + shard.getFileName() + ", which does not exist");
            }
            for (TensorEntry t : SafetensorsHeader.read(shard).values()) {
                String listed = weightMap.get(t.name());
                if (listed == null || !file.resolveSibling(listed).equals(shard)) {
                    throw new IOException(shard + " holds " + t.name() + ", which " + file.getFileName()
                            + (listed == null ? " does not list" : " puts in " + listed));
                }
                out.put(t.name(), t);
            }
        }
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            if (!out.containsKey(e.getKey())) {
                throw new IOException(file.getFileName() + " puts " + e.getKey() + " in " + e.getValue()
                        + ", whose header lacks it");
            }
        }
        return out;
    }
}
