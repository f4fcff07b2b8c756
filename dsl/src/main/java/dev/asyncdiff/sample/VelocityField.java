package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.Timesteps;

/** The guided model as a solver sees it: each call is one model evaluation, recorded in the trajectory. */
@FunctionalInterface
public interface VelocityField {

    /** v*(x, t) [B, D] for every row of a native batch x [B, D], conditioned at t (per sample or per position). */
    NDArray at(NDArray x, Timesteps t);
}
