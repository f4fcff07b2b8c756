package dev.asyncdiff.reward;

import dev.asyncdiff.reward.embedded.EmbeddedReward;
import dev.asyncdiff.reward.real.RealReward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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

    /** The rewards that read a model folder, written NAME:DIR; none of them is in {@link #names()}. */
    public static List<String> folderNames() {
        return RealReward.names().stream().map(n -> n + ":DIR").toList();
    }

    /**
     * The rewards a comma-separated list names, in its order, e.g. {@code "oracle,hf-noise"}; a real reward is
     * written with its model folder, e.g. {@code "clip-score:/models/clip-vit-large-patch14"} (a folder whose path
     * holds no comma). Folders are loaded only once the whole list has been read, so a misspelt name costs no load.
     * Rewards that hold native memory (the {@link RealReward}s) are {@link AutoCloseable}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones), an empty name, a
     *                                  name given twice, or a model folder that cannot be loaded
     */
    public static List<Reward> parse(String names) {
        List<Supplier<Reward>> specs = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String name : names.split(",", -1)) {
            String n = name.strip();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty reward name in '" + names + "'; separate names by single "
                        + "commas, e.g. 'oracle,hf-noise'; " + known());
            }
            int colon = n.indexOf(':');
            String rewardName = colon < 0 ? n : n.substring(0, colon);
            if (seen.contains(rewardName)) {
                throw new IllegalArgumentException("reward '" + rewardName + "' is named twice in '" + names
                        + "'; name each reward once");
            }
            seen.add(rewardName);
            if (colon < 0) {
                Reward r = byName(n);
                specs.add(() -> r);
            } else {
                specs.add(withFolder(rewardName, n.substring(colon + 1).strip()));
            }
        }
        List<Reward> out = new ArrayList<>();
        try {
            for (Supplier<Reward> spec : specs) {
                out.add(spec.get());
            }
        } catch (RuntimeException e) {
            closeAll(out);
            throw e;
        }
        return List.copyOf(out);
    }

    /** Closes the rewards that hold native memory (those loaded from a folder); the others need nothing. */
    public static void closeAll(List<Reward> rewards) {
        for (Reward r : rewards) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + r.name() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static Reward byName(String n) {
        Reward r = KNOWN.get(n);
        if (r != null) {
            return r;
        }
        RealReward k = RealReward.named(n);
        if (k != null) {
            throw new IllegalArgumentException("reward '" + n + "' reads a model folder: write " + n + ":DIR, DIR "
                    + "holding " + k.folder());
        }
        throw new IllegalArgumentException("unknown reward '" + n + "'; " + known());
    }

    /** The loading of a reward from its model folder, deferred until the whole list has been read. */
    private static Supplier<Reward> withFolder(String name, String dir) {
        RealReward k = RealReward.named(name);
        if (k != null) {
            if (dir.isEmpty()) {
                throw new IllegalArgumentException("reward '" + name + ":' names no folder; write " + name
                        + ":DIR, DIR holding " + k.folder());
            }
            Path folder = Path.of(dir);
            return () -> k.load(folder);
        }
        throw new IllegalArgumentException("reward '" + name + "' takes no folder (only " + String.join(", ",
                folderNames()) + " do); " + known());
    }

    private static String known() {
        return "known: " + String.join(", ", names()) + ", and with a model folder: " + String.join(", ",
                folderNames());
    }
}
