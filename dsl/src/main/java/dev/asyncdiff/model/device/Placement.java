package dev.asyncdiff.model.device;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * Where one component's weights live and the float type each is kept in: {@code dtype}, except the keys ending in
 * one of {@code fp32Keys}, which stay FP32. Activations are FP32 whatever the weights are: a weight of a lower type
 * multiplies activations rounded to its type and its product is widened again ({@code Layers.linear}), as
 * PyTorch's autocast runs matrix products in FP16 and keeps norms, softmax and the residual stream in FP32.
 *
 * @param dtype FLOAT32 or FLOAT16 (DJL holds no BF16: BF16 checkpoints are widened as they load)
 */
public record Placement(Device device, DataType dtype, List<String> fp32Keys) {
    public Placement {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("weights are kept in FLOAT32 or FLOAT16 (got " + dtype + ")");
        }
        fp32Keys = List.copyOf(fp32Keys);
    }

    /** Every weight FP32 on the CPU: the placement of every component on {@link ComputeDevice#CPU}. */
    public static Placement cpu() {
        return new Placement(Device.cpu(), DataType.FLOAT32, List.of());
    }

    /** The float type the weight at {@code key} is kept in. */
    public DataType dtypeOf(String key) {
        return fp32Keys.stream().anyMatch(key::endsWith) ? DataType.FLOAT32 : dtype;
    }

    /** The same types on another device. */
    public Placement on(Device other) {
        return new Placement(other, dtype, fp32Keys);
    }
}
