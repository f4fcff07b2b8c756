package dev.asyncdiff.model.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
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
    static final String NO_CUDA = "device cuda: the PyTorch engine here has no CUDA GPU (%s); " + ROUTES;

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
     * Refuses CUDA where the PyTorch engine has no CUDA GPU (its natives are the CPU build, or no GPU is visible),
     * with one line naming both routes to CUDA natives; the CPU is always there.
     */
    public void requireAvailable() {
        if (this == CPU) {
            return;
        }
        Engine torch = Engine.getEngine("PyTorch");
        boolean cudaNatives = torch.hasCapability(StandardCapabilities.CUDA);
        if (!cudaNatives || torch.getGpuCount() == 0) {
            throw new IllegalStateException(String.format(NO_CUDA, "PyTorch " + torch.getVersion() + ", "
                    + (cudaNatives ? "CUDA natives but no visible GPU" : "CPU natives")));
        }
    }

    /** Bytes of memory on this device: the machine's (or its container's) RAM, or the GPU's. */
    public long memoryBytes() {
        if (this == CUDA) {
            requireAvailable();
            return CudaUtils.getGpuMemory(djl()).getMax();
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
