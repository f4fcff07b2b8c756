package dev.asyncdiff.model.device;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * The dtype plan of a published backbone on a compute device: the {@link Placement} of each of its components.
 * <ul>
 * <li>CPU: every weight FP32; F16 and BF16 checkpoints are widened as they load (attention in FP16 ran about 8.5×
 * slower than in FP32 on this machine's CPU).</li>
 * <li>CUDA: the paper's FP16 for the transformer and the CLIP encoders. T5 in FP16 with the guard of Hugging Face
 * transformers, which loads T5's feed-forward output projection {@code wo} in FP32 ({@code _keep_in_fp32_modules})
 * because FP16 overflows there, and clamps FP16 activations to the finite range ({@code T5Encoder}). The VAE stays
 * FP32: it is small (84 M parameters, 0.3 GB), runs once per image, and decoder activations of latent-diffusion VAEs
 * are known to leave FP16's range.</li>
 * </ul>
 * Activations are FP32 on both devices (see {@link Placement}).
 */
public record Precision(Placement transformer, Placement textEncoders, Placement t5, Placement vae) {
    /** T5's feed-forward output projections, kept FP32 on CUDA as transformers keeps them. */
    static final String T5_FEED_FORWARD_OUT = "DenseReluDense.wo.weight";

    public static Precision of(ComputeDevice device) {
        if (device == ComputeDevice.CPU) {
            Placement cpu = Placement.cpu();
            return new Precision(cpu, cpu, cpu, cpu);
        }
        Device gpu = device.djl();
        Placement fp16 = new Placement(gpu, DataType.FLOAT16, List.of());
        return new Precision(fp16, fp16, new Placement(gpu, DataType.FLOAT16, List.of(T5_FEED_FORWARD_OUT)),
                new Placement(gpu, DataType.FLOAT32, List.of()));
    }

    /** The device every component is on. */
    public Device device() {
        return transformer.device();
    }

    /** The same types on another device: the CUDA plan's FP16 arithmetic can be run on the CPU (tests do). */
    public Precision on(Device other) {
        return new Precision(transformer.on(other), textEncoders.on(other), t5.on(other), vae.on(other));
    }
}
