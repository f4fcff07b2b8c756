package dev.asyncdiff.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's {@code datasets/} folder as the build packs it into the jar, under {@value #ROOT}: the CLI jar
 * and notebooks read the same bytes from any working directory, and nothing reads the repository at run time.
 * Paths here are relative to {@code datasets/} ({@code coco2014/val2014_coco30k.tsv}); the files' formats and
 * origins are in {@code datasets/SOURCES.md}.
 */
final class DatasetFiles {
    static final String ROOT = "/dev/asyncdiff/datasets/";

    private DatasetFiles() {
    }

    /** How provenance texts name a file: {@code datasets/PATH}. */
    static String name(String path) {
        return "datasets/" + path;
    }

    /** The lines of a UTF-8 text file. */
    static List<String> lines(String path) {
        try (InputStream in = DatasetFiles.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException(name(path) + " is not on the classpath at " + ROOT + path
                        + "; rebuild with 'mvn -pl dsl package' (the build copies the repository's datasets/ folder"
                        + " into the jar)");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name(path) + ": " + e.getMessage(), e);
        }
    }

    /** One column, by its header name, of a tab-separated file whose first line is the header. */
    static List<String> column(String path, String header) {
        List<String> lines = lines(path);
        if (lines.isEmpty()) {
            throw new IllegalStateException(name(path) + " is empty; it should start with a header line");
        }
        List<String> headers = List.of(lines.get(0).split("\t", -1));
        int c = headers.indexOf(header);
        if (c < 0) {
            throw new IllegalStateException(name(path) + " has no column '" + header + "' (its header: " + headers
                    + ")");
        }
        List<String> out = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split("\t", -1);
            if (cells.length != headers.size()) {
                throw new IllegalStateException(name(path) + " line " + (i + 1) + " has " + cells.length
                        + " tab-separated fields; the header has " + headers.size());
            }
            out.add(cells[c]);
        }
        return out;
    }

    /** One string field of every object in a JSON-lines file. */
    static List<String> field(String path, String field) {
        List<String> lines = lines(path);
        List<String> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonElement value;
            try {
                JsonElement line = JsonParser.parseString(lines.get(i));
                value = line.isJsonObject() ? ((JsonObject) line).get(field) : null;
            } catch (JsonParseException e) {
                throw new IllegalStateException(name(path) + " line " + (i + 1) + " is not JSON: " + e.getMessage());
            }
            if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new IllegalStateException(name(path) + " line " + (i + 1) + " has no string field '" + field
                        + "'");
            }
            out.add(value.getAsString());
        }
        return out;
    }
}
