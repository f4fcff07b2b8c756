package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How the Flux pipeline lays a latent out for its transformer: each 2×2 square of latent pixels becomes one token
 * whose channels run (c, p, q) — channel slowest, then row and column in the square — and tokens run row-major over
 * the packed grid. Position ids name each token's place for RoPE: (0, row, column) on the packed grid for image
 * tokens, all zeros for text tokens (so RoPE leaves the text stream unrotated).
 */
public final class FluxLatents {
    /** Position axes of an id: an unused leading axis (0 for text-to-image), row, column. */
    static final int ID_AXES = 3;

    private FluxLatents() {
    }

    /** [B, C, H, W] → [B, (H/2)·(W/2), 4C]. */
    public static NDArray pack(NDArray x) {
        Shape s = x.getShape();
        int p = FluxConfig.PACK;
        if (s.dimension() != 4 || s.get(2) % p != 0 || s.get(3) % p != 0) {
            throw new IllegalArgumentException("latents " + s + " must be [B, C, H, W] with even H and W");
        }
        long h = s.get(2) / p;
        long w = s.get(3) / p;
        return x.reshape(s.get(0), s.get(1), h, p, w, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(s.get(0), h * w, s.get(1) * p * p);
    }

    /** [B, (H/2)·(W/2), 4C] → [B, C, H, W]: the inverse of {@link #pack}. */
    public static NDArray unpack(NDArray tokens, long height, long width) {
        Shape s = tokens.getShape();
        int p = FluxConfig.PACK;
        long h = height / p;
        long w = width / p;
        if (s.dimension() != 3 || height % p != 0 || width % p != 0 || s.get(1) != h * w || s.get(2) % (p * p) != 0) {
            throw new IllegalArgumentException("packed latents " + s + " do not tile a " + height + " × " + width
                    + " latent in 2×2 squares");
        }
        long c = s.get(2) / (p * p);
        return tokens.reshape(s.get(0), h, w, c, p, p).transpose(0, 3, 1, 4, 2, 5).reshape(s.get(0), c, height, width);
    }

    /** Ids of {@code textTokens} text tokens followed by the image tokens of a packed h × w grid: [S + h·w][3]. */
    public static double[][] ids(int textTokens, int h, int w) {
        double[][] ids = new double[textTokens + h * w][ID_AXES];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                ids[textTokens + r * w + c][1] = r;
                ids[textTokens + r * w + c][2] = c;
            }
        }
        return ids;
    }
}
