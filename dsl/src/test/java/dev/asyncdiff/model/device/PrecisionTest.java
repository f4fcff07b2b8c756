package dev.asyncdiff.model.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Where each component's weights go, in which type, and what asking for CUDA without a GPU says. */
class PrecisionTest {
    static final String WO = "encoder.block.0.layer.1.DenseReluDense.wo.weight";
    static final String WI = "encoder.block.0.layer.1.DenseReluDense.wi_1.weight";

    @Nested
    class ThePlan {
        @Test
        void onTheCpuEveryWeightIsFp32() {
            Precision p = Precision.of(ComputeDevice.CPU);
            for (Placement c : List.of(p.transformer(), p.textEncoders(), p.t5(), p.vae())) {
                assertEquals(Device.cpu(), c.device());
                assertEquals(DataType.FLOAT32, c.dtypeOf("transformer_blocks.0.attn.to_q.weight"));
                assertEquals(DataType.FLOAT32, c.dtypeOf(WO));
            }
        }

        @Test
        void onCudaTheTransformerAndTheEncodersAreFp16ExceptT5sWoAndTheVaeIsFp32() {
            Precision p = Precision.of(ComputeDevice.CUDA);
            assertEquals(Device.gpu(), p.device());
            assertEquals(DataType.FLOAT16, p.transformer().dtypeOf("transformer_blocks.0.attn.to_q.weight"));
            assertEquals(DataType.FLOAT16, p.textEncoders().dtypeOf("text_model.encoder.layers.0.mlp.fc1.weight"));
            assertEquals(DataType.FLOAT16, p.t5().dtypeOf(WI));
            assertEquals(DataType.FLOAT32, p.t5().dtypeOf(WO));
            assertEquals(DataType.FLOAT32, p.vae().dtypeOf("decoder.conv_in.weight"));
            for (Placement c : List.of(p.transformer(), p.textEncoders(), p.t5(), p.vae())) {
                assertEquals(Device.gpu(), c.device());
            }
        }

        @Test
        void movedToAnotherDeviceThePlanKeepsItsTypes() {
            Precision p = Precision.of(ComputeDevice.CUDA).on(Device.cpu());
            assertEquals(Device.cpu(), p.device());
            assertEquals(Device.cpu(), p.vae().device());
            assertEquals(DataType.FLOAT16, p.t5().dtypeOf(WI));
            assertEquals(DataType.FLOAT32, p.t5().dtypeOf(WO));
        }

        @Test
        void weightsAreKeptInFp32OrFp16Only() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Placement(Device.cpu(), DataType.FLOAT64, List.of()));
            assertTrue(e.getMessage().contains("FLOAT32 or FLOAT16"), e.getMessage());
        }
    }

    @Nested
    class TheDevice {
        @Test
        void cpuAndCudaAreTheNamesAndNothingElse() {
            assertEquals(ComputeDevice.CPU, ComputeDevice.parse("cpu"));
            assertEquals(ComputeDevice.CUDA, ComputeDevice.parse("cuda"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ComputeDevice.parse("gpu"));
            assertEquals("device must be cpu or cuda (got 'gpu')", e.getMessage());
        }

        @Test
        void cudaWithoutAGpuIsOneLineNamingBothRoutesToCudaNatives() {
            assumeFalse(Engine.getEngine("PyTorch").hasCapability(StandardCapabilities.CUDA),
                    "the engine here has CUDA natives");
            ComputeDevice.CPU.requireAvailable();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    ComputeDevice.CUDA::requireAvailable);
            String m = e.getMessage();
            assertEquals(1, m.lines().count(), m);
            assertTrue(m.contains("a CPU build, or no GPU visible"), m);
            assertTrue(m.contains("mvn -Pcuda"), "the online route: " + m);
            assertTrue(m.contains("PYTORCH_LIBRARY_PATH") && m.contains("libtorch 2.7.1+cu128"),
                    "the offline route: " + m);
        }
    }
}
