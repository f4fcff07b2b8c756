package dev.asyncdiff.sample;

/**
 * The tensors of one sample at one step, kept when states are requested (for RL): the latent x_k before the step,
 * the guided velocity v_k and the clean-image prediction x0_k = x_k − t_k·v_k.
 */
public record StepState(float[] x, float[] v, float[] x0) {
}
