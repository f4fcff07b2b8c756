package dev.asyncdiff.tpm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.sample.DeviationBound;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How a TPM was trained, as {@code train-tpm} records it in {@code tpm.json} under {@value #KEY}: the two things
 * sampling must match — the backbone weights it learned on and the deviation bound it learned under — the iterations
 * done, and the rest of the recipe (prompts, rewards, grid, steps, guidance, seed, GRPO's settings) by name, as the
 * trainer wrote it. A TPM saved before this record existed has none, and loads as before.
 *
 * @param weights    the tiny backbone's weights, or null on a backbone whose weights have no identity (gmm)
 * @param bound      η = 0.5 + r (half, Eq. 6) or η = 2r (lifted, Eq. 13)
 * @param iterations GRPO iterations done
 * @param recipe     every other setting that decided the training, by name
 */
public record TpmProvenance(WeightsIdentity weights, DeviationBound bound, int iterations, JsonObject recipe) {
    static final String KEY = "training";

    public TpmProvenance {
        if (bound == null || recipe == null) {
            throw new IllegalArgumentException("a TPM's training record needs its bound and recipe");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("a TPM's training record needs iterations >= 0 (got " + iterations + ")");
        }
        recipe = recipe.deepCopy();
    }

    @Override
    public JsonObject recipe() {
        return recipe.deepCopy();
    }

    public Optional<WeightsIdentity> weightsIdentity() {
        return Optional.ofNullable(weights);
    }

    /** The same training after {@code done} iterations. */
    public TpmProvenance withIterations(int done) {
        return new TpmProvenance(weights, bound, done, recipe);
    }

    /**
     * What would make a run resumed with {@code now} a different training from this one: the weights, the bound and
     * every recipe entry that differ, in one line ("bound: half, now lifted; lr: 1.0E-4, now 3.0E-4"); empty when
     * they agree. The iterations may differ: they are the total a resumed run goes on to.
     */
    public Optional<String> differenceFrom(TpmProvenance now) {
        List<String> differences = new ArrayList<>();
        JsonObject was = settings();
        JsonObject is = now.settings();
        TreeSet<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(is.keySet());
        for (String key : keys) {
            JsonElement a = was.get(key);
            JsonElement b = is.get(key);
            if (a == null || !a.equals(b)) {
                differences.add(key + ": " + (a == null ? "none" : a) + ", now " + (b == null ? "none" : b));
            }
        }
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", differences));
    }

    /** The recipe with the weights' SHA-256 and the bound: everything but the iterations. */
    private JsonObject settings() {
        JsonObject s = recipe();
        s.addProperty("weights sha256", weights == null ? "none" : weights.sha256());
        s.addProperty("bound", bound.cliName);
        return s;
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        if (weights != null) {
            JsonObject w = new JsonObject();
            w.addProperty("source", weights.source());
            w.addProperty("sha256", weights.sha256());
            o.add("weights", w);
        }
        o.addProperty("bound", bound.cliName);
        o.addProperty("iterations", iterations);
        o.add("recipe", recipe());
        return o;
    }

    /** The record in a {@code tpm.json} object, if it has one; a malformed one is an error naming {@code source}. */
    static Optional<TpmProvenance> fromJson(JsonObject tpmJson, String source) {
        if (!tpmJson.has(KEY)) {
            return Optional.empty();
        }
        try {
            JsonObject o = tpmJson.getAsJsonObject(KEY);
            JsonObject w = o.has("weights") ? o.getAsJsonObject("weights") : null;
            return Optional.of(new TpmProvenance(w == null ? null : new WeightsIdentity(w.get("source").getAsString(),
                    w.get("sha256").getAsString()), DeviationBound.parse(o.get("bound").getAsString()),
                    o.get("iterations").getAsInt(), o.getAsJsonObject("recipe")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " has a malformed \"" + KEY + "\" record (" + e.getMessage()
                    + ")");
        }
    }
}
