package dev.asyncdiff.model.checkpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * How a component's tensors compare with its manifest.
 *
 * @param misShaped  "key [found] (expected [shape])" for each key present with another shape
 * @param parameters elements of the learned weights found with their expected shapes
 * @param buffers    elements of the stored constants (SD3's position table) found with their expected shapes
 */
public record ManifestReport(List<String> missing, List<String> unexpected, List<String> misShaped, long parameters,
                             long buffers) {
    /** How many keys one message names before it says how many more there are. */
    public static final int KEYS_SHOWN = 6;

    public boolean ok() {
        return missing.isEmpty() && unexpected.isEmpty() && misShaped.isEmpty();
    }

    /**
     * One line naming the offending keys, at most {@link #KEYS_SHOWN} of them in all (a kind whose keys no longer fit
     * is only counted); empty when ok.
     */
    public String problems() {
        List<String> parts = new ArrayList<>();
        int[] shown = {0};
        add(parts, "missing", missing, shown);
        add(parts, "unexpected", unexpected, shown);
        add(parts, "mis-shaped", misShaped, shown);
        return String.join("; ", parts);
    }

    private static void add(List<String> parts, String kind, List<String> keys, int[] shown) {
        if (keys.isEmpty()) {
            return;
        }
        int n = Math.max(0, Math.min(keys.size(), KEYS_SHOWN - shown[0]));
        shown[0] += n;
        if (n == 0) {
            parts.add(keys.size() + " " + kind);
            return;
        }
        String more = n < keys.size() ? " and " + (keys.size() - n) + " more" : "";
        parts.add(keys.size() + " " + kind + ": " + String.join(", ", keys.subList(0, n)) + more);
    }
}
