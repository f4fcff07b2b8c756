package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Flux pipeline's packing and position ids, against their definitions written out index by index. */
class FluxLatentsTest {
    static final int B = 2;
    static final int C = 3;
    static final int H = 4;
    static final int W = 6;

    @Test
    void packingPutsEach2x2SquareInOneTokenWithChannelsInCPQOrder() {
        float[] x = new float[B * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray packed = FluxLatents.pack(m.create(x, new Shape(B, C, H, W)));
            assertEquals(new Shape(B, (H / 2) * (W / 2), 4 * C), packed.getShape());
            float[] got = packed.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int r = 0; r < H / 2; r++) {
                    for (int q = 0; q < W / 2; q++) {
                        for (int c = 0; c < C; c++) {
                            for (int dy = 0; dy < 2; dy++) {
                                for (int dx = 0; dx < 2; dx++) {
                                    int token = r * (W / 2) + q;
                                    int channel = c * 4 + dy * 2 + dx;
                                    float expected = x[((b * C + c) * H + 2 * r + dy) * W + 2 * q + dx];
                                    assertEquals(expected, got[(b * (H / 2) * (W / 2) + token) * 4 * C + channel]);
                                }
                            }
                        }
                    }
                }
            }
            assertArrayEquals(x, FluxLatents.unpack(packed, H, W).toFloatArray());
        }
    }

    @Test
    void textIdsAreZeroAndImageIdsNameRowAndColumnOfThePackedGrid() {
        double[][] ids = FluxLatents.ids(2, 2, 3);
        assertArrayEquals(new double[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 1, 0},
                {0, 1, 1}, {0, 1, 2}}, ids);
    }

    @Test
    void anOddLatentSideIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray odd = m.zeros(new Shape(1, 16, 5, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FluxLatents.pack(odd));
            assertEquals("latents (1, 16, 5, 4) must be [B, C, H, W] with even H and W", e.getMessage());
        }
    }
}
