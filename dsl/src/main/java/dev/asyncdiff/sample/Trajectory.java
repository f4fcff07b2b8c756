package dev.asyncdiff.sample;

import java.util.List;

/**
 * Everything one sample went through.
 *
 * @param index  the global sample index (prompt-major)
 * @param states one entry per step when states were requested, else empty
 */
public record Trajectory(int index, String prompt, List<TrajectoryStep> steps, List<StepState> states) {

    public Trajectory {
        steps = List.copyOf(steps);
        states = List.copyOf(states);
    }

    /** Mean deviation over the steps k ≥ 1, the quantity reported beside Tables 1–2. */
    public double meanDeviation() {
        return steps.stream().filter(s -> s.k() > 0).mapToDouble(TrajectoryStep::deviation).average().orElse(0.0);
    }
}
