package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * The held-out flow-matching loss that training runs are compared by: every {@link #STRIDE}-th caption of the
 * standard val split (all categories), one render each from a fixed seed, encoded by the run's autoencoder, with
 * fixed noise and stratified times t_i = (i + ½)/n. The set depends on nothing the runs may vary (seed, unstated
 * textures, architecture), so two runs with the same autoencoder are measured on identical inputs. Rows of
 * {@code val.csv}: step, mean loss, and the mean over t &lt; ⅓, ⅓ ≤ t &lt; ⅔ and t ≥ ⅔.
 */
final class Validation {
    static final int STRIDE = 4;
    private static final long SEED = 20_261_203L;
    private static final int BATCH = 64;
    private static final int D = 4 * 16 * 16;

    private final float[] xt;
    private final float[] target;
    private final float[] t;
    private final int[][] ids;
    private final Path csv;
    private final PrintStream log;

    private Validation(float[] xt, float[] target, float[] t, int[][] ids, Path csv, PrintStream log) {
        this.xt = xt;
        this.target = target;
        this.t = t;
        this.ids = ids;
        this.csv = csv;
        this.log = log;
    }

    static Validation build(NDManager manager, TinyNetworks nets, Path out, int every, PrintStream log) {
        List<Caption> all = PromptSplits.standard().get(Split.VAL);
        int n = (all.size() + STRIDE - 1) / STRIDE;
        Random rng = new Random(SEED);
        float[][] images = new float[n][];
        int[][] ids = new int[n][TinyNetworks.MAX_TOKENS];
        for (int i = 0; i < n; i++) {
            Caption c = all.get(i * STRIDE);
            images[i] = SceneRenderer.renderChw(SceneSampler.sample(c.requirements(), rng));
            int[] row = nets.tokenizer.encode(c.text());
            System.arraycopy(row, 0, ids[i], 0, row.length);
        }
        float[] x0 = new float[n * D];
        JniUtils.setGradMode(false);
        for (int s = 0; s < n; s += BATCH) {
            int m = Math.min(BATCH, n - s);
            try (NDScope ignored = new NDScope()) {
                float[][] chunk = java.util.Arrays.copyOfRange(images, s, s + m);
                NDArray z = nets.ae.encode(NativeData.of(manager, TinyFlowModel.flatten(chunk, 3 * 64 * 64),
                        new Shape(m, 3, 64, 64)));
                System.arraycopy(z.toFloatArray(), 0, x0, s * D, m * D);
            }
        }
        float scale = nets.ae.latentScale();
        float[] xt = new float[n * D];
        float[] target = new float[n * D];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (i + 0.5f) / n;
        }
        shuffle(t, rng); // times uncorrelated with the category order of the captions
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                float x = x0[i * D + j] * scale;
                float eps = (float) rng.nextGaussian();
                xt[i * D + j] = (1 - t[i]) * x + t[i] * eps;
                target[i * D + j] = eps - x;
            }
        }
        log.printf("validation: %d held-out val captions, loss every %d steps in val.csv%n", n, every);
        return new Validation(xt, target, t, ids, out.resolve("val.csv"), log);
    }

    /** The mean loss over the set and over three time bins: {all, t < ⅓, ⅓ ≤ t < ⅔, t ≥ ⅔}. */
    double[] loss(NDManager manager, TinyNetworks nets) {
        int n = t.length;
        double[] sum = new double[4];
        int[] count = new int[4];
        JniUtils.setGradMode(false);
        for (int s = 0; s < n; s += BATCH) {
            int m = Math.min(BATCH, n - s);
            try (NDScope ignored = new NDScope()) {
                NDArray x = NativeData.of(manager, java.util.Arrays.copyOfRange(xt, s * D, (s + m) * D),
                        new Shape(m, 4, 16, 16));
                NDArray v = NativeData.of(manager, java.util.Arrays.copyOfRange(target, s * D, (s + m) * D),
                        new Shape(m, 4, 16, 16));
                NDArray ts = NativeData.of(manager, java.util.Arrays.copyOfRange(t, s, s + m), new Shape(m, 1));
                NDArray[] c = nets.text.encode(manager, java.util.Arrays.copyOfRange(ids, s, s + m));
                float[] per = nets.dit.forward(x, ts, c[0], c[1], c[2], false).velocity().sub(v).square()
                        .reshape(m, -1).mean(new int[] {1}).toFloatArray();
                for (int i = 0; i < m; i++) {
                    int bin = 1 + Math.min(2, (int) (3 * t[s + i]));
                    sum[0] += per[i];
                    count[0]++;
                    sum[bin] += per[i];
                    count[bin]++;
                }
            }
        }
        double[] out = new double[4];
        for (int k = 0; k < 4; k++) {
            out[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k];
        }
        return out;
    }

    void measure(NDManager manager, TinyNetworks nets, long step) throws IOException {
        double[] l = loss(manager, nets);
        if (!Files.exists(csv)) {
            Files.writeString(csv, "step,loss,loss_t_low,loss_t_mid,loss_t_high,unix_seconds\n");
        }
        Files.writeString(csv, String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%d%n", step, l[0], l[1],
                l[2], l[3], System.currentTimeMillis() / 1000), StandardOpenOption.APPEND);
        log.printf("%nstep %d: held-out loss %.4f (t<1/3 %.4f, mid %.4f, t>=2/3 %.4f)%n", step, l[0], l[1], l[2], l[3]);
    }

    private static void shuffle(float[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
