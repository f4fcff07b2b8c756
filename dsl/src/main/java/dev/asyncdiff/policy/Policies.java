package dev.asyncdiff.policy;

/** Factories and the CLI names of the timestep policies. */
public final class Policies {
    public static final String CHOICES = "sync, fixed:D with D in [-0.5, 0.5]";

    private Policies() {
    }

    public static TimestepPolicy sync() {
        return new SynchronousPolicy();
    }

    public static TimestepPolicy fixed(double deviation) {
        return new FixedDeviationPolicy(deviation);
    }

    /** Reads "sync" or "fixed:D". */
    public static TimestepPolicy parse(String spec) {
        String s = spec.trim();
        if (s.equals("sync")) {
            return sync();
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
