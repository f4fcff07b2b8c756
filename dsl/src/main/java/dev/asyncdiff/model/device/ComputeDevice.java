package dev.asyncdiff.model.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a published backbone (SD3.5, Flux.1) runs: the CPU, in FP32, or the first CUDA GPU, in FP16 ({@link
 * Precision}). The project's build ships PyTorch's CPU natives; CUDA needs PyTorch 2.7.1's CUDA natives by one of
 * the two routes {@link #NO_CUDA} names (README, section "CUDA").
 */
public enum ComputeDevice {
    CPU, CUDA;

    /** The two ways to give DJL PyTorch 2.7.1's CUDA natives, in the one line a refused CUDA request prints. */
    static final String ROUTES = "either let DJL download PyTorch 2.7.1's CUDA natives once (online: "
            + "ASYNCDIFF_CUDA=download ./asyncdiff ..., which builds with mvn -Pcuda) or point PYTORCH_LIBRARY_PATH "
            + "at the lib folder of a local libtorch 2.7.1+cu128 (offline); see README, section CUDA";
    /** Where DJL could not load natives at all: the download route offline, most likely. */
    static final String NO_NATIVES = "device cuda: PyTorch's natives could not be loaded (%s); ASYNCDIFF_CUDA=download "
            + "needs the network on its first run, to download them into ~/.djl.ai; offline, point "
            + "PYTORCH_LIBRARY_PATH at the lib folder of a local libtorch 2.7.1+cu128; see README, section CUDA";
    static final String NO_CUDA = "device cuda: the PyTorch engine here has no CUDA GPU (%s: a CPU build, or no "
            + "GPU visible); " + ROUTES;

    /** "cpu" or "cuda"; an IllegalArgumentException naming both otherwise. */
    public static ComputeDevice parse(String name) {
        for (ComputeDevice d : values()) {
            if (d.cliName().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("device must be cpu or cuda (got '" + name + "')");
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The DJL device arrays are made on: the CPU, or GPU 0. */
    public Device djl() {
        return this == CPU ? Device.cpu() : Device.gpu();
    }

    /**
     * Refuses CUDA where the PyTorch engine has no CUDA GPU (its natives are a CPU build, or a CUDA build sees no
     * GPU), with one line naming both routes to CUDA natives; the CPU is always there. The engine's own answer
     * (torch::cuda::is_available) decides: DJL's GPU count reads libcudart.so, which machines with only the driver
     * lack.
     */
    public void requireAvailable() {
        if (this == CPU) {
            return;
        }
        Engine torch;
        try {
            torch = Engine.getEngine("PyTorch");
        } catch (EngineException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalStateException(String.format(NO_NATIVES, e.getMessage() + ": " + cause));
        }
        if (!torch.hasCapability(StandardCapabilities.CUDA)) {
            throw new IllegalStateException(String.format(NO_CUDA, "PyTorch " + torch.getVersion() + " from "
                    + LibUtils.getLibtorchPath()));
        }
    }

    /**
     * Bytes of memory on this device: the machine's (or its container's) RAM, or the GPU's; 0 where the GPU's cannot
     * be read (DJL reads it through libcudart.so, which machines with only the driver lack).
     */
    public long memoryBytes() {
        if (this == CPU) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        }
        requireAvailable();
        try {
            return CudaUtils.getGpuMemory(djl()).getMax();
        } catch (IllegalStateException | IllegalArgumentException | UnsatisfiedLinkError e) {
            return 0;
        }
    }
}
