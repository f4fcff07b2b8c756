package dev.asyncdiff.cli;

import dev.asyncdiff.model.device.ComputeDevice;
import picocli.CommandLine.Option;

/** --device, for every command that takes --backbone: where sd35 and flux run. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "cpu|cuda", description = "where sd35 and flux run: cpu (FP32) or cuda "
            + "(FP16; needs PyTorch 2.7.1's CUDA natives, see README, section CUDA) (default: cpu)")
    String device;

    /**
     * The device {@code backbone} runs on: cpu unless --device says cuda, which only sd35 and flux take and only
     * where the engine has a CUDA GPU (else one line naming the two routes to CUDA natives). Checked before any
     * weights are read.
     */
    ComputeDevice resolve(String backbone) {
        if (device == null) {
            return ComputeDevice.CPU;
        }
        ComputeDevice d;
        try {
            d = ComputeDevice.parse(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
        if (d == ComputeDevice.CUDA && !Backbones.real(backbone)) {
            throw new IllegalArgumentException("--device cuda applies to --backbone sd35 and flux (got --backbone "
                    + backbone + ")");
        }
        d.requireAvailable();
        return d;
    }
}
