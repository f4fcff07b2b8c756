package dev.asyncdiff.sample;

/** Observes sampling step by step; returning false stops the batch after this step. */
@FunctionalInterface
public interface StepCallback {
    StepCallback NONE = e -> true;

    boolean onStep(StepEvent event);
}
