package dev.asyncdiff.model;

/** The time a model is conditioned at: one per sample, or one per latent position (AsynDM). */
public sealed interface Timesteps {

    /** Number of samples. */
    int size();

    /** This batch followed by {@code other}; both must be of the same kind. */
    Timesteps concat(Timesteps other);

    /** One time per sample. */
    record PerSample(double[] t) implements Timesteps {
        @Override
        public int size() {
            return t.length;
        }

        @Override
        public Timesteps concat(Timesteps other) {
            double[] o = ((PerSample) other).t;
            double[] out = java.util.Arrays.copyOf(t, t.length + o.length);
            System.arraycopy(o, 0, out, t.length, o.length);
            return new PerSample(out);
        }
    }

    /** A time per sample and latent position: t[i][p]. */
    record PerToken(double[][] t) implements Timesteps {
        @Override
        public int size() {
            return t.length;
        }

        @Override
        public Timesteps concat(Timesteps other) {
            double[][] o = ((PerToken) other).t;
            double[][] out = java.util.Arrays.copyOf(t, t.length + o.length);
            System.arraycopy(o, 0, out, t.length, o.length);
            return new PerToken(out);
        }
    }
}
