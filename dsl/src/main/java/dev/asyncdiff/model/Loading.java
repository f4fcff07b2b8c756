package dev.asyncdiff.model;

import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.device.Precision;
import dev.asyncdiff.model.t5.T5Residency;

/**
 * How a published backbone (SD3.5, Flux.1) is loaded from its diffusers folder: the side of its square images, the
 * device it runs on (FP32 on the CPU, FP16 on CUDA: {@link Precision}) and whether its T5 encoder is kept loaded or
 * streamed block by block ({@link T5Residency}). An immutable value; each call returns a new one:
 * <pre>{@code
 * Pipeline.sd35(dir, Loading.defaults().device("cuda"))
 * }</pre>
 */
public record Loading(int imageSize, ComputeDevice device, T5Residency t5) {
    /** The side of the square images the paper samples SD3.5 and Flux at. */
    public static final int DEFAULT_IMAGE_SIZE = 512;

    public Loading {
        if (device == null || t5 == null) {
            throw new IllegalArgumentException("a device and a T5 residency are needed (got " + device + ", " + t5
                    + ")");
        }
    }

    /** 512×512 on the CPU, T5 resident or streamed as its size and the machine's memory decide. */
    public static Loading defaults() {
        return new Loading(DEFAULT_IMAGE_SIZE, ComputeDevice.CPU, T5Residency.AUTO);
    }

    public Loading imageSize(int px) {
        return new Loading(px, device, t5);
    }

    /** "cpu" or "cuda". */
    public Loading device(String name) {
        return device(ComputeDevice.parse(name));
    }

    public Loading device(ComputeDevice d) {
        return new Loading(imageSize, d, t5);
    }

    public Loading t5(T5Residency residency) {
        return new Loading(imageSize, device, residency);
    }

    /** The dtype plan on this device; refuses CUDA, with the routes to CUDA natives, where the engine has no GPU. */
    public Precision precision() {
        device.requireAvailable();
        return Precision.of(device);
    }
}
