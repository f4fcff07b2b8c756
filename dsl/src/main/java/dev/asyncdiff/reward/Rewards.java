package dev.asyncdiff.reward;

import dev.asyncdiff.reward.embedded.EmbeddedReward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The rewards known by name, and the one place that turns names into rewards: the CLI's {@code --rewards} and the
 * DSL read names through {@link #parse}. A new reward is usable everywhere once it is listed here.
 */
public final class Rewards {
    private static final Map<String, Reward> KNOWN = byName(Stream.concat(Stream.of(OracleReward.DENSE,
            OracleReward.VERDICT, new HighFrequencyNoise()), EmbeddedReward.ALL.stream()).toList());

    private Rewards() {
    }

    private static Map<String, Reward> byName(List<Reward> rewards) {
        Map<String, Reward> out = new LinkedHashMap<>();
        for (Reward r : rewards) {
            out.put(r.name(), r);
        }
        return out;
    }

    /** The known names, in registration order. */
    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /**
     * The rewards a comma-separated list names, in its order, e.g. {@code "oracle,hf-noise"}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones), an empty name or a
     *                                  name given twice
     */
    public static List<Reward> parse(String names) {
        List<Reward> out = new ArrayList<>();
        for (String name : names.split(",", -1)) {
            String n = name.strip();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty reward name in '" + names + "'; separate names by single "
                        + "commas, e.g. 'oracle,hf-noise'; known: " + String.join(", ", names()));
            }
            Reward r = KNOWN.get(n);
            if (r == null) {
                throw new IllegalArgumentException("unknown reward '" + n + "'; known: " + String.join(", ", names()));
            }
            if (out.contains(r)) {
                throw new IllegalArgumentException("reward '" + n + "' is named twice in '" + names + "'; name each "
                        + "reward once");
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
