package dev.asyncdiff.sample;

import dev.asyncdiff.model.Timesteps;

/** The guided model as a solver sees it: each call is one model evaluation, recorded in the trajectory. */
@FunctionalInterface
public interface VelocityField {

    /** v*(x, t) for every row, conditioned at t (one time per sample or per position). */
    float[][] at(float[][] x, Timesteps t);
}
