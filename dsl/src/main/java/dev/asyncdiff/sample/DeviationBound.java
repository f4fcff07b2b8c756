package dev.asyncdiff.sample;

/**
 * How far a policy value r may move the conditioning time. η = 1 + (r − 0.5)·scale·γ:
 * HALF (scale 1) gives η = 0.5 + r at γ = 1 (Eq. 6) and the γ-scaled rule of Eq. 12;
 * LIFTED (scale 2) gives η = 2r at γ = 1 (Eq. 13).
 */
public enum DeviationBound {
    HALF(1.0, "half"),
    LIFTED(2.0, "lifted");

    public final double scale;
    public final String cliName;

    DeviationBound(double scale, String cliName) {
        this.scale = scale;
        this.cliName = cliName;
    }

    public static DeviationBound parse(String name) {
        for (DeviationBound b : values()) {
            if (b.cliName.equals(name.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown bound '" + name + "' (choose half or lifted)");
    }
}
