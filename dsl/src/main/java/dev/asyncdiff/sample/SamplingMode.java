package dev.asyncdiff.sample;

/** Where the policy acts: on the conditioning time (Eq. 8–9) or on the size of the update (Eq. 19–20). */
public enum SamplingMode {
    /** The latent stays on t_k; the model is conditioned at t*_k. */
    ASYNC("async"),
    /** The model is conditioned at t_k; the update is multiplied by ω = 1 + (r − 0.5)·scale·γ. */
    VELOCITY_SCALE("velocity-scale");

    public final String cliName;

    SamplingMode(String cliName) {
        this.cliName = cliName;
    }

    public static SamplingMode parse(String name) {
        for (SamplingMode m : values()) {
            if (m.cliName.equals(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "' (choose async or velocity-scale)");
    }
}
