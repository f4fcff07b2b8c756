package dev.asyncdiff.policy;

/** Factories and the CLI names of the timestep policies. */
public final class Policies {
    public static final String CHOICES = "sync, fixed:D with D in [-0.5, 0.5], timeshift[:S] (S = the clean "
            + "latents' mean square, default 1)";

    private Policies() {
    }

    public static TimestepPolicy sync() {
        return new SynchronousPolicy();
    }

    public static TimestepPolicy fixed(double deviation) {
        return new FixedDeviationPolicy(deviation);
    }

    /** Reads "sync", "fixed:D" or "timeshift[:S]". */
    public static TimestepPolicy parse(String spec) {
        String s = spec.trim();
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
