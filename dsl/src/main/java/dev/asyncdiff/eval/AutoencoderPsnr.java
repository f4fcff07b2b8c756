package dev.asyncdiff.eval;

import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Split;

import java.util.List;
import java.util.Random;

/** How faithfully the tiny model's autoencoder reconstructs renders: mean PSNR of encode → decode. */
public final class AutoencoderPsnr {
    private static final int BATCH = 64;

    private AutoencoderPsnr() {
    }

    /** Mean PSNR (over images) on renders of {@code n} random val captions of the standard splits, seeded. */
    public static double onValRenders(TinyFlowModel model, int n, long seed) {
        List<Caption> val = PromptSplits.standard().get(Split.VAL);
        Random rng = new Random(seed);
        double total = 0;
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            float[][] images = new float[m][];
            for (int i = 0; i < m; i++) {
                Caption c = val.get(rng.nextInt(val.size()));
                images[i] = SceneRenderer.renderChw(SceneSampler.sample(c.requirements(), rng));
            }
            float[][] back = model.decodeImages(model.encodeImages(images));
            for (int i = 0; i < m; i++) {
                total += psnr(images[i], back[i]);
            }
        }
        return total / n;
    }

    /** PSNR of two images with pixels in [−1, 1] (peak-to-peak 2). */
    public static double psnr(float[] a, float[] b) {
        double se = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            se += d * d;
        }
        return 10 * Math.log10(4.0 / (se / a.length));
    }
}
