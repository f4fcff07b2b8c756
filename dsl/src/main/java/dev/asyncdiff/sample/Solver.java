package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;

/**
 * How the loop turns model evaluations into the update x_k → x_{k+1}. Every solver's first evaluation of step k is
 * the loop's, conditioned at t*_k (Eq. 6, 12, 13, clamped; synchronous at k = 0); a solver may ask for more through
 * {@link SolverStep#field()}. Where t_{k+1} = 0 every solver takes the Euler step, which lands on the clean
 * prediction x0 = x − t_k·v.
 */
public sealed interface Solver permits Euler, Heun, DpmSolver2M {
    Solver EULER = new Euler();
    Solver HEUN = new Heun();
    Solver DPMPP_2M = new DpmSolver2M();
    String CHOICES = "euler, heun or dpmpp2m";

    /** The name the CLI and trajectory.json use. */
    String name();

    /** x_{k+1} for every row of the batch, native [B, D]. */
    NDArray step(SolverStep s);

    static Solver parse(String name) {
        return switch (name.strip()) {
            case "euler" -> EULER;
            case "heun" -> HEUN;
            case "dpmpp2m" -> DPMPP_2M;
            default -> throw new IllegalArgumentException("unknown solver '" + name + "' (choose " + CHOICES + ")");
        };
    }

    /** The velocity multiplier (Eq. 19–20) scales an Euler update; no higher-order form of it is defined. */
    static void checkMode(Solver solver, SamplingMode mode) {
        if (mode == SamplingMode.VELOCITY_SCALE && !(solver instanceof Euler)) {
            throw new IllegalArgumentException("mode velocity-scale scales the Euler update (Eq. 19-20); use solver "
                    + "euler with it (got " + solver.name() + ")");
        }
    }
}
