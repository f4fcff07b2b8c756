package dev.asyncdiff.schedule;

/** The rules every grid obeys: at least two points, starts at 1, strictly decreasing, ends in [0, 1). */
public final class GridCheck {
    private GridCheck() {
    }

    /** Returns {@code t} unchanged when it is a valid grid; throws with the first rule it breaks otherwise. */
    public static double[] validate(double[] t) {
        if (t.length < 2) {
            throw new IllegalArgumentException("a time grid needs at least 2 points (got " + t.length + ")");
        }
        if (t[0] != 1.0) {
            throw new IllegalArgumentException("a time grid must start at t = 1 (got " + t[0] + ")");
        }
        for (int k = 0; k < t.length; k++) {
            if (!Double.isFinite(t[k])) {
                throw new IllegalArgumentException("time grid point " + k + " is not finite (" + t[k] + ")");
            }
            if (k > 0 && !(t[k] < t[k - 1])) {
                throw new IllegalArgumentException("a time grid must be strictly decreasing (t_" + (k - 1) + " = "
                        + t[k - 1] + ", t_" + k + " = " + t[k] + ")");
            }
        }
        double last = t[t.length - 1];
        if (last < 0.0 || last >= 1.0) {
            throw new IllegalArgumentException("a time grid must end in [0, 1) (got " + last + ")");
        }
        return t;
    }
}
