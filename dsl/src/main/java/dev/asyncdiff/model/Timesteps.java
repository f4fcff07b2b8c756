package dev.asyncdiff.model;

/** The time a model is conditioned at: one per sample, or one per latent position (AsynDM). */
public sealed interface Timesteps {

    /** Number of samples. */
    int size();

    /** This batch followed by {@code other}; both must be of the same kind. */
    Timesteps concat(Timesteps other);

    /** The time of sample i at latent position p. */
    double at(int i, int p);

    /** The time of sample i if all its positions share one, else the mean over its positions. */
    double representative(int i);

    /** The largest time of the batch. */
    double max();

    /**
     * The same times, per sample when every row is constant: a model then takes its per-sample path, so a constant
     * per-position map conditions exactly as the per-sample time it equals.
     */
    Timesteps simplest();

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

        @Override
        public double at(int i, int p) {
            return t[i];
        }

        @Override
        public double representative(int i) {
            return t[i];
        }

        @Override
        public double max() {
            return java.util.Arrays.stream(t).max().orElse(Double.NEGATIVE_INFINITY);
        }

        @Override
        public Timesteps simplest() {
            return this;
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

        @Override
        public double at(int i, int p) {
            return t[i][p];
        }

        @Override
        public double representative(int i) {
            return constant(t[i]) ? t[i][0] : java.util.Arrays.stream(t[i]).average().orElse(Double.NaN);
        }

        @Override
        public double max() {
            return java.util.Arrays.stream(t).flatMapToDouble(java.util.Arrays::stream).max()
                    .orElse(Double.NEGATIVE_INFINITY);
        }

        @Override
        public Timesteps simplest() {
            double[] perSample = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                if (!constant(t[i])) {
                    return this;
                }
                perSample[i] = t[i][0];
            }
            return new PerSample(perSample);
        }

        private static boolean constant(double[] row) {
            for (double v : row) {
                if (Double.compare(v, row[0]) != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
