package dev.asyncdiff.model.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One component of a checkpoint (transformer, vae, a text encoder): a folder holding {@code config.json} and either
 * a shard index with its shards or a single safetensors file. Opening it reads headers only.
 */
public record ComponentFolder(Path dir, ComponentConfig config, Map<String, TensorEntry> tensors) {

    /** Reads the config and every tensor's header; an IllegalArgumentException saying what is missing or wrong. */
    public static ComponentFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder");
        }
        ComponentConfig config = ComponentConfig.read(dir);
        try {
            return new ComponentFolder(dir, config, tensors(dir));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The shard index if there is one, else the one safetensors file. */
    private static Map<String, TensorEntry> tensors(Path dir) throws IOException {
        List<Path> indexes = files(dir, ShardIndex.SUFFIX);
        if (indexes.size() > 1) {
            throw new IOException(dir + " holds several shard indexes " + names(indexes) + "; keep one");
        }
        if (indexes.size() == 1) {
            return ShardIndex.read(indexes.get(0)).tensors();
        }
        List<Path> files = files(dir, ".safetensors");
        if (files.size() != 1) {
            throw new IOException(dir + (files.isEmpty() ? " holds no .safetensors file"
                    : " holds several .safetensors files " + names(files) + " and no *" + ShardIndex.SUFFIX
                    + " saying how they fit together"));
        }
        return SafetensorsHeader.read(files.get(0));
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted()
                    .toList();
        }
    }

    private static String names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList().toString();
    }
}
