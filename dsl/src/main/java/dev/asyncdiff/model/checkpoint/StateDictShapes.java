package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;
import java.util.Map;

/**
 * Dimensions read off a state dict's shapes and key names, where a checkpoint has no config file to give them
 * (ImageReward's BLIP, HPSv2's OpenCLIP).
 */
public final class StateDictShapes {
    private StateDictShapes() {
    }

    /** The shape of {@code key}; an IllegalArgumentException saying which dimension it was to give when absent. */
    public static long[] shape(Map<String, TensorEntry> tensors, String key, String gives) {
        TensorEntry t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + key + " (its shape gives the " + gives + ")");
        }
        return t.shape();
    }

    /** Axis {@code axis} of {@code key}'s shape, refused when the tensor has fewer axes. */
    public static int dim(Map<String, TensorEntry> tensors, String key, int axis, String gives) {
        long[] s = shape(tensors, key, gives);
        if (s.length <= axis) {
            throw new IllegalArgumentException(key + " " + Arrays.toString(s) + " has no axis " + axis
                    + " (it gives the " + gives + ")");
        }
        return Math.toIntExact(s[axis]);
    }

    /** How many numbered modules {@code prefix}0., {@code prefix}1., … the keys hold: one more than the largest. */
    public static int count(Map<String, TensorEntry> tensors, String prefix) {
        int n = 0;
        for (String key : tensors.keySet()) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0 && rest.substring(0, dot).chars().allMatch(Character::isDigit)) {
                    n = Math.max(n, Integer.parseInt(rest.substring(0, dot)) + 1);
                }
            }
        }
        return n;
    }
}
