package dev.asyncdiff.policy;

/** Factories and the CLI names of the timestep policies. */
public final class Policies {
    public static final String CHOICES = "sync, fixed:D with D in [-0.5, 0.5], timeshift[:S] (S = the clean "
            + "latents' mean square, default 1), distilled:PATH (a folder from distill)";

    private Policies() {
    }

    public static TimestepPolicy sync() {
        return new SynchronousPolicy();
    }

    public static TimestepPolicy fixed(double deviation) {
        return new FixedDeviationPolicy(deviation);
    }

    /** A policy distilled from a TPM by {@code distill} (a regression tree of the deviation on step features). */
    public static DistilledPolicy distilled(java.nio.file.Path dir) {
        return DistilledPolicy.load(dir);
    }

    /** Reads "sync", "fixed:D", "timeshift[:S]" or "distilled:PATH". */
    public static TimestepPolicy parse(String spec) {
        String s = spec.trim();
        if (s.startsWith(DistilledPolicy.PREFIX)) {
            return distilled(java.nio.file.Path.of(s.substring(DistilledPolicy.PREFIX.length())));
        }
        if (s.equals("sync")) {
            return sync();
        }
        if (s.equals("timeshift")) {
            return new TimeShiftPolicy(1.0);
        }
        if (s.startsWith("timeshift:")) {
            try {
                return new TimeShiftPolicy(Double.parseDouble(s.substring(10).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("policy '" + spec + "' needs a number after 'timeshift:' (the "
                        + "clean latents' mean square, e.g. timeshift:1)");
            }
        }
        if (s.startsWith("fixed:")) {
            String d = s.substring(6).trim();
            try {
                return fixed(Double.parseDouble(d));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("policy '" + spec + "' needs a number after 'fixed:' (e.g. fixed:0.3)");
            }
        }
        throw new IllegalArgumentException("unknown policy '" + spec + "' (choose " + CHOICES + ")");
    }
}
