package dev.asyncdiff.model.gmm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Gaussian mixture in R^D with isotropic components: weight π_k, mean μ_k, std s_k.
 * JSON form: {"weights":[…], "means":[[…],…], "stds":[…]} or "std": s for one shared std. Weights are normalised.
 */
public record GmmSpec(double[] weights, double[][] means, double[] stds) {

    public GmmSpec {
        int k = weights.length;
        if (k == 0) {
            throw new IllegalArgumentException("gmm spec needs at least one component");
        }
        if (means.length != k || stds.length != k) {
            throw new IllegalArgumentException("gmm spec is inconsistent: " + k + " weights, " + means.length
                    + " means, " + stds.length + " stds (all must match)");
        }
        int d = means[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("gmm spec means must have at least one dimension");
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(weights[i]) || weights[i] <= 0) {
                throw new IllegalArgumentException("gmm weight " + i + " must be a finite number > 0 (got " + weights[i] + ")");
            }
            if (!Double.isFinite(stds[i]) || stds[i] <= 0) {
                throw new IllegalArgumentException("gmm std " + i + " must be a finite number > 0 (got " + stds[i] + ")");
            }
            if (means[i].length != d) {
                throw new IllegalArgumentException("gmm mean " + i + " has " + means[i].length
                        + " dimensions, mean 0 has " + d + " (all must match)");
            }
            for (double m : means[i]) {
                if (!Double.isFinite(m)) {
                    throw new IllegalArgumentException("gmm mean " + i + " has a non-finite entry (" + m + ")");
                }
            }
            sum += weights[i];
        }
        double[] normalised = new double[k];
        for (int i = 0; i < k; i++) {
            normalised[i] = weights[i] / sum;
        }
        weights = normalised;
        means = deepCopy(means);
        stds = stds.clone();
    }

    public int components() {
        return weights.length;
    }

    public int dimension() {
        return means[0].length;
    }

    /** Reads and validates a spec file; every problem becomes an IllegalArgumentException naming the file. */
    public static GmmSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read gmm spec " + file + ": " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("gmm spec " + file + ": " + e.getMessage());
        }
    }

    /** Parses the JSON form. */
    public static GmmSpec parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object with weights, means and stds");
        }
        JsonObject o = root.getAsJsonObject();
        double[] weights = vector(o, "weights");
        JsonArray meanRows = array(o, "means");
        double[][] means = new double[meanRows.size()][];
        for (int i = 0; i < means.length; i++) {
            means[i] = numbers(meanRows.get(i), "means[" + i + "]");
        }
        double[] stds;
        if (o.has("stds") && o.has("std")) {
            throw new IllegalArgumentException("give either \"stds\" or \"std\", not both");
        } else if (o.has("stds")) {
            stds = vector(o, "stds");
        } else if (o.has("std")) {
            double s = number(o.get("std"), "std");
            stds = new double[weights.length];
            java.util.Arrays.fill(stds, s);
        } else {
            throw new IllegalArgumentException("missing \"stds\" (one per component) or \"std\" (shared)");
        }
        return new GmmSpec(weights, means, stds);
    }

    private static JsonArray array(JsonObject o, String key) {
        if (!o.has(key) || !o.get(key).isJsonArray()) {
            throw new IllegalArgumentException("missing array \"" + key + "\"");
        }
        return o.getAsJsonArray(key);
    }

    private static double[] vector(JsonObject o, String key) {
        return numbers(array(o, key), key);
    }

    private static double[] numbers(JsonElement e, String what) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("\"" + what + "\" must be an array of numbers");
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private static double number(JsonElement e, String what) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("\"" + what + "\" must be a number (got " + e + ")");
        }
        return e.getAsDouble();
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "parse error" : s.lines().findFirst().orElse(s);
    }
}
